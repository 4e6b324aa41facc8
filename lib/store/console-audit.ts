import { query, type Db } from '../postgres/db.js';
import type { AuditRecord } from '../domain/audit.js';

export type ConsoleAuditFilter = { beforeId?: bigint; email?: string; action?: string; target?: string; limit: number };

/** The operators' entries (audience 'console'), newest first, filtered by who, what (a prefix: `payment.`) and on what. */
export async function listConsoleAudit(db: Db, f: ConsoleAuditFilter): Promise<AuditRecord[]> {
  const where = [`audience = 'console'`, `id < coalesce(?::bigint, 9223372036854775807)`];
  const params: (string | bigint | number | null)[] = [f.beforeId ?? null];
  if (f.email) (where.push('email = ?'), params.push(f.email));
  if (f.action) (where.push(`action like ? escape '\\'`), params.push(`${f.action.replace(/[\\%_]/g, '\\$&')}%`));
  if (f.target) (where.push('target = ?'), params.push(f.target));
  params.push(f.limit);
  return query<AuditRecord>(db,
    `select id, audience, merchant_id as "merchantId", user_id as "userId", email, action, target, ip, at, details from audit_log
     where ${where.join(' and ')} order by id desc limit ?`, params);
}
