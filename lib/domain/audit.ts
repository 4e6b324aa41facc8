import type { MerchantId, UserId } from './ids.js';
import type { Audience } from './user.js';

/** An entry of the audit journal (lib/store/audit-log.ts): a merchant's (office, and the operator acting on it) or the console's. */
export type AuditEntry = { audience?: Audience; merchantId: MerchantId | null; userId: UserId | null; email: string | null; action: string; target: string | null; ip: string | null; at: Date; details?: Record<string, unknown> };

export type AuditRecord = AuditEntry & { id: bigint; details: Record<string, unknown> };
