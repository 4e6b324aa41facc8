export function verifyResult(fields: Record<string, string | undefined>, secretKey: string, method?: 'sha256' | 'md5'): boolean;
