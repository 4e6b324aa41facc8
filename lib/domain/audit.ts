import type { MerchantId, UserId } from './ids.js';

/** An entry of a merchant's audit journal (lib/store/audit-log.ts). */
export type AuditEntry = { merchantId: MerchantId; userId: UserId | null; email: string | null; action: string; target: string | null; ip: string | null; at: Date; details?: Record<string, unknown> };

export type AuditRecord = AuditEntry & { id: bigint; details: Record<string, unknown> };
