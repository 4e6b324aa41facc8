import { query, type Db, type SqlParam } from '../postgres/db.js';
import { digitsPattern, erasedPhone, SECRET_COLUMN } from '../domain/personal-data.js';

/**
 * Where a phone's digits are kept, and how its rows are found there. `:phone` is its digits (`:re` as a regex that also finds
 * them typed with spaces or dashes), `:payments` the ids of its payments, `:mentions` those of other people's payments whose
 * merchant wrote the phone into their own fields, `:like` '%digits%'. `mask` rewrites the digits in every text and JSON column of
 * the rows found (the columns are read from the catalog, so a new column is covered too); `delete` removes
 * the rows (counters and keys whose key is the phone); `sql` runs its own statements. A table not in the
 * database yet is skipped, so a line may come before its migration. A new table is one line here.
 */
export type Trace = {
  table: string;
  rows: string;
  erase: 'mask' | 'delete' | { sql: string[] };
  /** columns the export leaves out beyond the secrets: other people's data (a merchant user's e-mail) */
  hide?: string[];
  /** or the only columns the export shows (a shop's row is the merchant's, but its alert list names the phone) */
  show?: string[];
  /** the export's name for these rows when the table has more than one trace */
  as?: string;
  /** statements run after the mask (personal data that is not the phone: the buyer's e-mail) */
  then?: string[];
};

export const TRACES: Trace[] = [
  { table: 'payments', rows: `id = any(:payments)`, erase: 'mask', then: [`update payments set buyer_email = null where id = any(:payments) and buyer_email is not null`] },
  // another person's payment that names the phone in the merchant's fields: the mention is masked, and exported alone
  { table: 'payments', as: 'payments_mentioning', rows: `id = any(:mentions)`, erase: 'mask', show: ['id', 'description', 'metadata', 'custom_fields'] },
  { table: 'receipts', rows: `payment_id = any(:payments)`, erase: 'mask' },
  { table: 'refunds', rows: `payment_id = any(:payments) or phone = :phone`, erase: 'mask' },
  { table: 'payment_codes', rows: `phone = :phone or payment_id = any(:payments)`, erase: 'mask' },
  { table: 'sms_messages', rows: `phone = :phone or payment_id = any(:payments)`, erase: 'mask' },
  { table: 'phone_wrong_tries', rows: `phone = :phone`, erase: 'mask' },
  // its /me sign-in codes: short-lived, and their phone column takes full numbers only
  { table: 'sign_in_codes', rows: `phone = :phone`, erase: 'delete' },
  // Result and webhook bodies of its payments, and alert SMS to it (no payment)
  { table: 'notifications', rows: `payment_id = any(:payments) or (payment_id is null and body ~ :re)`, erase: 'mask' },
  // the Result and webhook bodies of those other payments carry their fields too; the rest of a body is the other buyer's
  { table: 'notifications', as: 'notifications_mentioning', rows: `payment_id = any(:mentions)`, erase: 'mask', show: ['id', 'payment_id', 'kind'] },
  { table: 'dev_inbox', rows: `recipient ~ :re or payment_id = any(:payments) or text ~ :re or html ~ :re`, erase: 'mask' },
  { table: 'idempotency_keys', rows: `response_body::text ~ :re`, erase: 'mask' },
  { table: 'audit_log', rows: `target ~ :re or details::text ~ :re`, erase: 'mask', hide: ['email', 'ip', 'user_id'] },
  { table: 'alert_log', rows: `address ~ :re`, erase: 'mask' },
  { table: 'alert_recipients', rows: `address ~ :re`, erase: 'delete' },
  // a shop's alert list or support phone may be a person's number: it leaves them
  {
    table: 'shops', rows: `alerts::text like :like or brand_support_phone = :phone`, show: ['id', 'name', 'alerts', 'brand_support_phone'],
    erase: {
      sql: [
        `update shops set alerts = jsonb_set(alerts, '{phones}', coalesce((select jsonb_agg(p) from jsonb_array_elements(alerts->'phones') p where p::text !~ :re), '[]'::jsonb)) where alerts::text like :like`,
        `update shops set brand_support_phone = null where brand_support_phone = :phone`,
      ],
    },
  },
  { table: 'rate_counters', rows: `key ~ :re`, erase: 'delete' },
  { table: 'limit_lifts', rows: `phone = :phone`, erase: 'delete' },
  { table: 'sign_in_tries', rows: `key ~ :re`, erase: 'delete' },
  // its sign-ins to /me: sessions and passkeys go, then the user itself (its audit rows keep no link to it)
  { table: 'sessions', rows: `user_id in (select id from users where phone = :phone)`, erase: 'delete' },
  { table: 'passkeys', rows: `user_id in (select id from users where phone = :phone)`, erase: 'delete', hide: ['public_key'] },
  {
    table: 'users', rows: `phone = :phone`,
    erase: { sql: [`update audit_log set user_id = null where user_id in (select id from users where phone = :phone)`, `delete from users where phone = :phone`] },
  },
  // last: the wallets stay (their ledger does), unlinked from the phone; erasure refuses while one holds money
  { table: 'wallets', rows: `phone = :phone`, erase: { sql: [`update wallets set phone = null where phone = :phone`] } },
];

/** The payments of a phone, and other people's payments that mention it (paymentsOfPhone). */
export type PhonePayments = { payments: string[]; mentions: string[] };
type Bindings = PhonePayments & { phone: string };

/** `:name` placeholders to the `?` of query(), in order; `::type` casts are left alone. */
function bind(sql: string, b: Bindings): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [];
  const values: Record<string, SqlParam> = { phone: b.phone, payments: b.payments, mentions: b.mentions, like: `%${b.phone}%`, re: digitsPattern(b.phone), mask: erasedPhone(b.phone) };
  const text = sql.replace(/(?<!:):(phone|payments|mentions|like|re|mask)\b/g, (_m, name: string) => {
    params.push(values[name]!);
    return name === 'payments' || name === 'mentions' ? '?::text[]' : '?';
  });
  return { sql: text, params };
}

type Column = { name: string; type: string };

/** The text, JSON and text-array columns of every table, from the catalog: where a phone can be written down. */
export async function textColumns(db: Db): Promise<Map<string, Column[]>> {
  const rows = await query<{ table: string; name: string; type: string }>(db,
    `select table_name as table, column_name as name, case when data_type = 'ARRAY' then udt_name else data_type end as type
     from information_schema.columns c
     where table_schema = current_schema() and is_generated = 'NEVER'
       and (data_type in ('text', 'character varying', 'json', 'jsonb') or udt_name in ('_text', '_varchar'))
       and exists (select 1 from information_schema.tables t where t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE')
     order by table_name, ordinal_position`);
  const map = new Map<string, Column[]>();
  for (const r of rows) map.set(r.table, [...(map.get(r.table) ?? []), { name: r.name, type: r.type }]);
  return map;
}

const CAST: Record<string, string> = { json: '::json', jsonb: '::jsonb', _text: '::text[]', _varchar: '::varchar[]' };

function maskStatement(t: Trace, columns: Column[]): string {
  const set = columns.map((c) => `"${c.name}" = regexp_replace("${c.name}"::text, :re, :mask, 'g')${CAST[c.type] ?? ''}`).join(', ');
  const touched = columns.map((c) => `"${c.name}"::text ~ :re`).join(' or ');
  return `update "${t.table}" set ${set} where (${t.rows}) and (${touched})`;
}

/**
 * The ids of the payments of a phone, whichever phone field holds it, and of other payments whose description, metadata or
 * custom fields name it. The second is a read of the whole payments table: an erasure or export is rare, and a merchant may
 * have typed the number anywhere (docs/operator-guide.md#erasure-and-export).
 */
export async function paymentsOfPhone(db: Db, phone: string): Promise<PhonePayments> {
  const own = await query<{ id: string }>(db,
    `select id from payments where phone = ? union select id from payments where prerequest_phone = ? or unknown_phone = ?`, [phone, phone, phone]);
  const payments = own.map((r) => r.id);
  const re = digitsPattern(phone);
  const mentions = await query<{ id: string }>(db,
    `select id from payments where (description ~ ? or metadata::text ~ ? or custom_fields::text ~ ?) and not id = any(?::text[])`, [re, re, re, payments]);
  return { payments, mentions: mentions.map((r) => r.id) };
}

/** Masks, deletes or unlinks every trace of the phone; how many rows each table had. Runs in the caller's transaction. */
export async function eraseTraces(db: Db, phone: string, { payments, mentions }: PhonePayments): Promise<Record<string, number>> {
  const columns = await textColumns(db);
  const counts: Record<string, number> = {};
  for (const t of TRACES) {
    if (!columns.has(t.table)) continue;
    const statements = [
      ...(t.erase === 'mask' ? [maskStatement(t, columns.get(t.table)!)] : t.erase === 'delete' ? [`delete from "${t.table}" where ${t.rows}`] : t.erase.sql),
      ...(t.then ?? []),
    ];
    const found = await query<{ n: bigint }>(db, ...args(bind(`select count(*) as n from "${t.table}" where ${t.rows}`, { phone, payments, mentions })));
    for (const s of statements) await query(db, ...args(bind(s, { phone, payments, mentions })));
    counts[t.table] = (counts[t.table] ?? 0) + Number(found[0]!.n);
  }
  return counts;
}

/** Every row each table keeps about the phone, secrets left out: the raw half of an export. */
export async function traceRows(db: Db, phone: string, { payments, mentions }: PhonePayments): Promise<Record<string, Record<string, unknown>[]>> {
  const columns = await textColumns(db);
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of TRACES) {
    if (!columns.has(t.table)) continue;
    const rows = await query<{ row: Record<string, unknown> }>(db, ...args(bind(`select to_jsonb(x) as row from "${t.table}" x where ${t.rows}`, { phone, payments, mentions })));
    if (rows.length) out[t.as ?? t.table] = rows.map((r) => withoutSecrets(r.row, t));
  }
  return out;
}

export function withoutSecrets(row: Record<string, unknown>, t: Pick<Trace, 'hide' | 'show'> = {}): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !SECRET_COLUMN.test(k) && !t.hide?.includes(k) && (!t.show || t.show.includes(k))));
}

function args(b: { sql: string; params: SqlParam[] }): [string, SqlParam[]] {
  return [b.sql, b.params];
}
