export function verifyWebhook(
  headers: Record<string, string | string[] | undefined>, body: string, secret: string, options?: { toleranceSeconds?: number; now?: number },
): boolean;
