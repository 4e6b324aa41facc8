import { query, queryOne, type Db } from '../postgres/db.js';
import type { Mode } from '../domain/ledger.js';

/**
 * The calls of the money statements' functions (docs/architecture.md#money-statements): each is one round trip; the argument is
 * the JSON the use-case rendered, the answer one row. The rules themselves are in the migrations that create the functions.
 */
type Args = Record<string, unknown>;

export type ConfirmAnswer = { outcome: string; triesLeft: number | null; paymentStatus: string | null; notificationIds: string[] | null };

export async function callConfirm(db: Db, args: Args): Promise<ConfirmAnswer> {
  return (await queryOne<ConfirmAnswer>(db,
    'select outcome, tries_left as "triesLeft", payment_status as "paymentStatus", notification_ids as "notificationIds" from tp_confirm(?::jsonb)',
    [JSON.stringify(args)]))!;
}

export type CreateAnswer = { outcome: string; limitName: string | null; retryAfter: number | null; codesOfPayment: number | null; invoiceNo: bigint | null; codeId: bigint | null; codeSeq: number | null };

export async function callCreate(db: Db, args: Args): Promise<CreateAnswer> {
  return (await queryOne<CreateAnswer>(db,
    `select outcome, limit_name as "limitName", retry_after as "retryAfter", codes_of_payment as "codesOfPayment", invoice_no as "invoiceNo",
            code_id as "codeId", code_seq as "codeSeq" from tp_create(?::jsonb)`, [JSON.stringify(args)]))!;
}

/** On a payment the caller's transaction holds (the passkey's path). */
export async function callPayApproved(db: Db, args: Args, paymentId: string): Promise<{ outcome: string; notificationIds: string[] }> {
  const row = (await queryOne<{ outcome: string; notificationIds: string[] | null }>(db,
    'select outcome, notification_ids as "notificationIds" from tp_pay_approved(?::jsonb, ?, null)', [JSON.stringify(args), paymentId]))!;
  return { outcome: row.outcome, notificationIds: row.notificationIds ?? [] };
}

export async function callIssueCode(db: Db, args: Args): Promise<{ codeId: bigint; seq: number }> {
  return (await queryOne<{ codeId: bigint; seq: number }>(db, 'select code_id as "codeId", seq from tp_issue_code(?::jsonb)', [JSON.stringify(args)]))!;
}

export async function callSendVerdict(
  db: Db, r: { paymentId: string | null; phone: string; mode: Mode; at: Date; limits: Args; shared: boolean },
): Promise<{ verdict: string; retryAfter: number | null; codesOfPayment: number }> {
  return (await queryOne<{ verdict: string; retryAfter: number | null; codesOfPayment: number }>(db,
    'select verdict, retry_after as "retryAfter", codes_of_payment as "codesOfPayment" from tp_send_verdict(?, ?, ?, ?, ?::jsonb, ?)',
    [r.paymentId, r.phone, r.mode, r.at, JSON.stringify(r.limits), r.shared]))!;
}

export async function callPayerWallet(db: Db, phone: string, currency: string, mode: Mode): Promise<{ purse: string; holderId: string; refusal: string | null } | undefined> {
  return queryOne(db, 'select purse, holder_id as "holderId", refusal from tp_payer_wallet(?, ?, ?)', [phone, currency, mode]);
}

export async function callCheckSignInCode(db: Db, args: Args): Promise<{ verdict: string; triesLeft: number | null }> {
  return (await queryOne<{ verdict: string; triesLeft: number | null }>(db,
    'select verdict, tries_left as "triesLeft" from tp_check_sign_in_code(?::jsonb)', [JSON.stringify(args)]))!;
}

/** The outbox rows of a plan; answers the ids of the rows written (a taken dedupe key writes none). */
export async function callWriteOutbox(db: Db, plan: Args): Promise<string[]> {
  return (await query<{ ids: string[] }>(db, 'select tp_write_outbox(?::jsonb) as ids', [JSON.stringify(plan)]))[0]!.ids;
}
