import { query, queryOne, type Db } from '../postgres/db.js';
import type { PaymentStatus, Payment } from '../domain/payment.js';
import type { Mode } from '../domain/ledger.js';
import type { MerchantId, PaymentId, ShopId } from '../domain/ids.js';

// camelCase property → column, for the columns a use-case may change after creation
const MUTABLE = {
  status: 'status', failureReason: 'failure_reason', phone: 'phone', payerPurse: 'payer_purse', payerWm: 'payer_wm',
  transferId: 'transfer_id', transDate: 'trans_date', holdId: 'hold_id', prerequestAt: 'prerequest_at', prerequestPhone: 'prerequest_phone', unknownPhone: 'unknown_phone', linkToken: 'link_token', amountCaptured: 'amount_captured',
  amountRefunded: 'amount_refunded', fee: 'fee', feeReturned: 'fee_returned', feeRefund: 'fee_refund', paidAt: 'paid_at', closedAt: 'closed_at', updatedAt: 'updated_at',
} as const satisfies Partial<Record<keyof Payment, string>>;

export type PaymentChange = Partial<Pick<Payment, keyof typeof MUTABLE>> & { updatedAt: Date };

export const COLUMNS = `id, invoice_no as "invoiceNo", merchant_id as "merchantId", shop_id as "shopId", payee_purse as "payeePurse", currency, mode, amount,
  status, failure_reason as "failureReason", payment_no as "paymentNo", description, source, create_key as "createKey", phone,
  payer_purse as "payerPurse", payer_wm as "payerWm", transfer_id as "transferId", trans_date as "transDate", hold_id as "holdId", prerequest_at as "prerequestAt", link_token as "linkToken",
  browser_hash as "browserHash", prerequest_phone as "prerequestPhone", unknown_phone as "unknownPhone",
  capture_mode as "captureMode", amount_captured as "amountCaptured", amount_refunded as "amountRefunded",
  fee, fee_returned as "feeReturned", fee_refund as "feeRefund",
  result_url as "resultUrl", success_url as "successUrl", fail_url as "failUrl", success_method as "successMethod",
  fail_method as "failMethod", custom_fields as "customFields", metadata, sim_mode as "simMode", lang, buyer_email as "buyerEmail",
  created_at as "createdAt", updated_at as "updatedAt", expires_at as "expiresAt", paid_at as "paidAt", closed_at as "closedAt"`;

export type NewPayment = Omit<Payment, 'invoiceNo' | 'failureReason' | 'payerPurse' | 'payerWm' | 'transferId' | 'transDate'
  | 'holdId' | 'prerequestAt' | 'prerequestPhone' | 'unknownPhone' | 'linkToken' | 'amountCaptured' | 'amountRefunded' | 'fee' | 'feeReturned' | 'feeRefund' | 'paidAt' | 'closedAt'>;

/**
 * Inserts unless a live or paid payment already holds this order number on the purse, or this
 * merchant already created a payment with this key; then nothing is returned and the caller
 * looks the other payment up.
 */
/** A payment about to be inserted, with the payer when a phone came with it (tp_create). */
export type NewPaymentWithPayer = NewPayment & { payerPurse?: string | null; payerWm?: string | null };

/** The row as tp_insert_payment reads it (migrations/20261208100200_create_statement.ts): the one insert of a payment. */
export function newPaymentJson(p: NewPaymentWithPayer) {
  return {
    id: p.id, merchant_id: p.merchantId, shop_id: p.shopId, payee_purse: p.payeePurse, currency: p.currency, mode: p.mode, amount: String(p.amount), status: p.status,
    payment_no: p.paymentNo === null ? null : String(p.paymentNo), description: p.description, source: p.source, create_key: p.createKey, phone: p.phone,
    payer_purse: p.payerPurse ?? null, payer_wm: p.payerWm ?? null, capture_mode: p.captureMode, result_url: p.resultUrl, success_url: p.successUrl, fail_url: p.failUrl,
    success_method: p.successMethod, fail_method: p.failMethod, custom_fields: p.customFields, metadata: p.metadata, sim_mode: p.simMode, lang: p.lang,
    created_at: p.createdAt.toISOString(), updated_at: p.updatedAt.toISOString(), expires_at: p.expiresAt.toISOString(), browser_hash: p.browserHash, buyer_email: p.buyerEmail ?? null,
  };
}

/** The payment as it now stands in the table, from what was inserted and the number the table gave it. */
export function paymentOfNew(p: NewPaymentWithPayer, invoiceNo: bigint): Payment {
  return {
    ...p, invoiceNo, buyerEmail: p.buyerEmail ?? null, failureReason: null, payerPurse: p.payerPurse ?? null, payerWm: p.payerWm ?? null, transferId: null, transDate: null,
    holdId: null, prerequestAt: null, prerequestPhone: null, unknownPhone: null, linkToken: null, amountCaptured: 0n, amountRefunded: 0n, fee: 0n, feeReturned: 0n,
    feeRefund: null, paidAt: null, closedAt: null,
  };
}

/** Nothing comes back when the id, the Idempotency-Key or the open order number is taken. */
export async function insertPayment(db: Db, p: NewPayment): Promise<Payment | undefined> {
  const row = await queryOne<{ invoiceNo: bigint | null }>(db, 'select tp_insert_payment(?::jsonb) as "invoiceNo"', [JSON.stringify(newPaymentJson(p))]);
  return row?.invoiceNo == null ? undefined : paymentOfNew(p, row.invoiceNo);
}

export async function findPayment(db: Db, id: PaymentId): Promise<Payment | undefined> {
  return queryOne<Payment>(db, `select ${COLUMNS} from payments where id = ?`, [id]);
}

/** The payment row lock: every use-case that changes a payment takes it first. */
export async function lockPayment(db: Db, id: PaymentId): Promise<Payment | undefined> {
  return queryOne<Payment>(db, `select ${COLUMNS} from payments where id = ? for update`, [id]);
}

/** The payment row lock and, in the same round trip, its merchant's status under a share lock (a suspension waits for the action). */
export async function lockPaymentWithMerchantStatus(db: Db, id: PaymentId): Promise<(Payment & { merchantStatus: 'active' | 'suspended' }) | undefined> {
  return queryOne<Payment & { merchantStatus: 'active' | 'suspended' }>(
    db,
    `select ${COLUMNS}, (select m.status from merchants m where m.id = payments.merchant_id for share) as "merchantStatus"
       from payments where id = ? for update`,
    [id],
  );
}

export async function findLiveOrderPayment(db: Db, payeePurse: string, paymentNo: bigint): Promise<Payment | undefined> {
  return queryOne<Payment>(
    db,
    `select ${COLUMNS} from payments where payee_purse = ? and payment_no = ?
       and status in ('created', 'code_sent', 'authorized', 'succeeded')`,
    [payeePurse, paymentNo],
  );
}

export async function findByCreateKey(db: Db, merchantId: MerchantId, createKey: string): Promise<Payment | undefined> {
  return queryOne<Payment>(db, `select ${COLUMNS} from payments where merchant_id = ? and create_key = ?`, [merchantId, createKey]);
}

export async function updatePayment(db: Db, id: PaymentId, change: PaymentChange): Promise<Payment> {
  const entries = Object.entries(change).filter(([, v]) => v !== undefined) as [keyof typeof MUTABLE, unknown][];
  const sets = entries.map(([k]) => `${MUTABLE[k]} = ?`).join(', ');
  const row = await queryOne<Payment>(
    db,
    `update payments set ${sets} where id = ? returning ${COLUMNS}`,
    [...entries.map(([, v]) => v as string), id],
  );
  if (!row) throw new Error(`payment ${id} vanished`);
  return row;
}

export type PaymentFilter = {
  /** None: every merchant's (the operator console). */
  merchantId?: MerchantId;
  /** Live or test payments only (docs/merchant-guide.md#test-mode); none: both. */
  mode?: Mode;
  shopId?: ShopId;
  status?: PaymentStatus;
  phone?: string;
  paymentNo?: bigint;
  createdFrom?: Date;
  createdTo?: Date;
  beforeInvoiceNo?: bigint;
  /** The back office's search box: a payment id, or a number that is an invoice or order number, or a phone. */
  id?: string;
  anyNumber?: bigint;
  /** The office's search box: a payment matches when any of these does. */
  search?: PaymentSearch;
  limit: number;
};

export type PaymentSearch = {
  number?: bigint;
  /** The phone's last 4 digits (indexed as right(phone, 4)). */
  last4?: string;
  /** An exact amount in minor units. */
  amount?: bigint;
  /** A value of the merchant's own fields or metadata, matched whole and case-blind (payment_field_values). */
  fieldValue?: string;
};

/**
 * The search box's text as each kind it may be, one indexed lookup per kind (docs/architecture.md#which-index-serves-which-query), unioned:
 * an OR over them would walk the newest-first index instead, through every payment when nothing matches.
 */
function searchCondition(s: PaymentSearch, merchantId: MerchantId | undefined): { sql: string; params: (string | bigint)[] } {
  const kinds: [string, string | bigint][] = [];
  if (s.number !== undefined) kinds.push(['invoice_no = ?', s.number], ['payment_no = ?', s.number], ['phone = ?', String(s.number)]);
  if (s.last4 !== undefined) kinds.push(['right(phone, 4) = ?', s.last4]);
  if (s.amount !== undefined) kinds.push(['amount = ?', s.amount]);
  if (s.fieldValue !== undefined) kinds.push(['payment_field_values(custom_fields, metadata) @> array[lower(?)]', s.fieldValue]);
  if (!kinds.length) return { sql: 'false', params: [] };
  if (kinds.length === 1) return { sql: kinds[0]![0], params: [kinds[0]![1]] };
  const owner = merchantId === undefined ? '' : 'merchant_id = ? and ';
  const sql = kinds.map(([cond]) => `select id from payments where ${owner}${cond}`).join(' union all ');
  return { sql: `id in (${sql})`, params: kinds.flatMap(([, v]) => (merchantId === undefined ? [v] : [merchantId, v])) };
}

/** The filter as SQL conditions, shared by the list and the CSV's field names. */
function whereOf(f: Omit<PaymentFilter, 'limit'>): { where: string; params: (string | bigint | Date | number)[] } {
  const where = ['true'];
  const params: (string | bigint | Date | number)[] = [];
  const add = (sql: string, value: string | bigint | Date | undefined) => {
    if (value === undefined) return;
    where.push(sql);
    params.push(value);
  };
  add('merchant_id = ?', f.merchantId);
  add('mode = ?', f.mode);
  add('shop_id = ?', f.shopId);
  add('status = ?', f.status);
  add('phone = ?', f.phone);
  add('payment_no = ?', f.paymentNo);
  add('created_at >= ?', f.createdFrom);
  add('created_at < ?', f.createdTo);
  add('invoice_no < ?', f.beforeInvoiceNo);
  add('id = ?', f.id);
  if (f.search) {
    const c = searchCondition(f.search, f.merchantId);
    where.push(c.sql);
    params.push(...c.params);
  }
  if (f.anyNumber !== undefined) {
    where.push('(invoice_no = ? or payment_no = ? or phone = ?)');
    params.push(f.anyNumber, f.anyNumber, String(f.anyNumber));
  }
  return { where: where.join(' and '), params };
}

/** Newest first by invoice number, which is also the cursor. */
export async function listPayments(db: Db, f: PaymentFilter): Promise<Payment[]> {
  const { where, params } = whereOf(f);
  return query<Payment>(db, `select ${COLUMNS} from payments where ${where} order by invoice_no desc limit ?`, [...params, f.limit]);
}

/** The names of the merchant's own fields (the form's) and metadata keys (`metadata.` and the key) of the matching payments, sorted, at most `max`. */
export async function listFieldNames(db: Db, f: Omit<PaymentFilter, 'limit'>, max: number): Promise<string[]> {
  const { where, params } = whereOf(f);
  const rows = await query<{ name: string }>(db,
    `select distinct name from payments p, lateral (
       select f ->> 0 as name from jsonb_array_elements(case jsonb_typeof(p.custom_fields) when 'array' then p.custom_fields else '[]' end) f
       union all select 'metadata.' || k from jsonb_object_keys(case jsonb_typeof(p.metadata) when 'object' then p.metadata else '{}' end) k
     ) n where ${where.replace(/\b(merchant_id|mode|shop_id|status|phone|payment_no|created_at|invoice_no|id)\b/g, 'p.$1')} and name is not null order by name limit ?`,
    [...params, max]);
  return rows.map((r) => r.name);
}

/** Open payments past their deadline, claimed so that several instances never expire the same one twice. */
export async function claimExpiredPayments(db: Db, now: Date, limit: number): Promise<Payment[]> {
  return query<Payment>(
    db,
    `select ${COLUMNS} from payments where status in ('created', 'code_sent') and expires_at <= ?
     order by expires_at limit ? for update skip locked`,
    [now, limit],
  );
}

/** Authorized payments whose hold has run out, claimed so that several instances never void one twice. */
export async function claimExpiredAuthorizations(db: Db, now: Date, limit: number): Promise<Payment[]> {
  return query<Payment>(
    db,
    `select ${COLUMNS} from payments where id in (
       select p.id from payments p join holds h on h.id = p.hold_id
       where p.status = 'authorized' and h.status = 'active' and h.expires_at <= ?
       order by h.expires_at limit ? for update of p skip locked)`,
    [now, limit],
  );
}

export async function findPaymentByLinkToken(db: Db, token: string): Promise<Payment | undefined> {
  return queryOne<Payment>(db, `select ${COLUMNS} from payments where link_token = ?`, [token]);
}

/**
 * The browser that takes the first step of a hosted page owns it: one statement claims an unowned
 * payment or reports its owner, so two browsers opening it at once cannot both win.
 */
export async function claimCheckout(db: Db, id: PaymentId, browserHash: string): Promise<string | null | undefined> {
  const row = await queryOne<{ owner: string | null }>(
    db,
    `with claimed as (update payments set browser_hash = ? where id = ? and browser_hash is null returning browser_hash)
     select coalesce((select browser_hash from claimed), (select browser_hash from payments where id = ?)) as owner`,
    [browserHash, id, id],
  );
  return row?.owner;
}

/** Payments per status, for /metrics. */
export async function countPaymentsByStatus(db: Db): Promise<{ status: string; n: number }[]> {
  return query(db, 'select status, count(*)::int as n from payments group by status');
}
