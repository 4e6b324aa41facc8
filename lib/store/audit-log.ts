import { query, type Db } from '../postgres/db.js';
import type { MerchantId } from '../domain/ids.js';
import type { AuditEntry, AuditRecord } from '../domain/audit.js';

export async function insertAudit(db: Db, e: AuditEntry): Promise<void> {
  await query(db,
    `insert into audit_log (audience, merchant_id, user_id, email, action, target, ip, at, details) values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)`,
    [e.audience ?? 'office', e.merchantId, e.userId, e.email, e.action, e.target, e.ip, e.at, JSON.stringify(e.details ?? {})]);
}

/** Newest first. */
export async function listAudit(db: Db, merchantId: MerchantId, f: { beforeId?: bigint; limit: number }): Promise<AuditRecord[]> {
  return query(db,
    `select id, merchant_id as "merchantId", user_id as "userId", email, action, target, ip, at, details from audit_log
     where merchant_id = ? and id < coalesce(?::bigint, 9223372036854775807) order by id desc limit ?`,
    [merchantId, f.beforeId ?? null, f.limit]);
}
