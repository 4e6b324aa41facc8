import pg from 'pg';
import type { Ack, LoadReport } from './workload.js';
import { maskPhone, parsePhone } from '../../lib/domain/phone.js';

export type Audit = { checked: number; violations: string[]; duplicates: number };

type PaymentFact = {
  id: string; status: string; invoice_no: string; amount_captured: string; amount_refunded: string; expires_at: Date; payment_transfers: number; refund_sum: string;
  fee: string; fee_returned: string; fee_posted: string; fee_posted_back: string;
};

/**
 * What the ledger must say after the torture, read from the database itself: every acknowledged
 * confirm, capture, void and refund happened, money moved once per payment, nothing open outlived its
 * deadline, every paid payment's Result reached the receiver, and the ledger check is clean.
 */
export async function audit(o: {
  databaseUrl: string; serviceUrl: string; adminToken: string; acks: Map<string, Ack>; vouchers?: LoadReport['vouchers']; received: Map<string, number>; now: Date; graceSeconds: number;
}): Promise<Audit> {
  const violations: string[] = [];
  let checked = 0;
  const fail = (text: string) => violations.push(text);
  const db = new pg.Client({ connectionString: o.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<PaymentFact>(`
      select p.id, p.status, p.invoice_no::text, p.amount_captured::text, p.amount_refunded::text, p.expires_at,
        (select count(*)::int from transfers t where t.key = 'payment:' || p.id) as payment_transfers,
        (select coalesce(sum(r.amount), 0)::text from refunds r where r.payment_id = p.id) as refund_sum,
        p.fee::text, p.fee_returned::text,
        (select coalesce(sum(po.amount), 0)::text from postings po join transfers t on t.id = po.transfer_id join wallets w on w.purse = po.purse
          where w.kind = 'fees' and t.key = 'payment:' || p.id) as fee_posted,
        (select coalesce(sum(-po.amount), 0)::text from postings po join refunds r on r.transfer_id = po.transfer_id join wallets w on w.purse = po.purse
          where w.kind = 'fees' and r.payment_id = p.id) as fee_posted_back
      from payments p`);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const ack of o.acks.values()) {
      const p = byId.get(ack.id);
      checked += 1;
      if (!p) {
        fail(`${ack.id}: created (2xx) but not in the database`);
        continue;
      }
      const paid = ack.captured !== undefined || (ack.confirmed === 'succeeded');
      if (ack.voided && p.status !== 'voided') fail(`${ack.id}: void answered 200, status is ${p.status}`);
      if (paid && p.status !== 'succeeded') fail(`${ack.id}: paid (answered 200), status is ${p.status}`);
      if (ack.confirmed === 'authorized' && !ack.voided && !ack.captured && !['authorized', 'succeeded', 'voided'].includes(p.status)) fail(`${ack.id}: authorized (answered 200), status is ${p.status}`);
      if (ack.captured !== undefined && Number(p.amount_captured) !== Math.round(Number(ack.captured) * 100)) fail(`${ack.id}: captured ${ack.captured}, the row says ${p.amount_captured} cents`);
      if (Number(p.amount_refunded) < ack.refunded) fail(`${ack.id}: ${ack.refunded} cents refunded (answered 201), the row says ${p.amount_refunded}`);
      checked += 1;
    }
    for (const p of rows) {
      checked += 3;
      // money moved exactly once for a paid payment, never for another
      const wanted = p.status === 'succeeded' ? 1 : 0;
      if (p.payment_transfers !== wanted) fail(`${p.id} (${p.status}): ${p.payment_transfers} payment transfers`);
      if (p.amount_refunded !== p.refund_sum) fail(`${p.id}: amount_refunded ${p.amount_refunded} but its refunds sum to ${p.refund_sum}`);
      // docs/merchant-guide.md#fees: the fee the payment shows went to a fee account in its own transfer, and what its refunds gave back came from one
      checked += 2;
      if (p.fee_posted !== p.fee) fail(`${p.id}: fee ${p.fee}, but its transfer moved ${p.fee_posted} to the fee wallet`);
      if (p.fee_posted_back !== p.fee_returned) fail(`${p.id}: fee returned ${p.fee_returned}, but its refunds took ${p.fee_posted_back} from the fee wallet`);
      const open = p.status === 'created' || p.status === 'code_sent';
      if (open && p.expires_at.getTime() < o.now.getTime() - o.graceSeconds * 1000) fail(`${p.id}: still ${p.status} ${Math.round((o.now.getTime() - p.expires_at.getTime()) / 1000)} s after its expiry`);
      const results = o.received.get(p.invoice_no) ?? 0;
      if (p.status === 'succeeded' && results === 0) fail(`${p.id}: paid, but its Result notification never arrived`);
      if (p.status !== 'succeeded' && results > 0) fail(`${p.id}: ${p.status}, yet a Result notification arrived`);
    }
    checked += await voucherFacts(db, o.vouchers, fail);
    const dead = await db.query<{ n: number }>(`select count(*)::int as n from notifications where kind = 'result' and status <> 'delivered'`);
    checked += 1;
    if (dead.rows[0]!.n > 0) fail(`${dead.rows[0]!.n} Result notifications not delivered`);
  } finally {
    await db.end();
  }
  const ledger = (await fetch(`${o.serviceUrl}/admin/v1/ledger/check`, { headers: { Authorization: `Bearer ${o.adminToken}` } }).then((r) => r.json())) as { ok: boolean; problems: unknown };
  checked += 1;
  if (!ledger.ok) fail(`ledger check: ${JSON.stringify(ledger.problems).slice(0, 500)}`);
  const duplicates = [...o.received.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
  return { checked, violations, duplicates };
}

/**
 * docs/operator-guide.md#vouchers-and-cash-in: every acknowledged batch, void and redemption happened, each batch moved its
 * money once, and each voucher left the float at most once, by the transfer its status names, into the wallet it names
 * (the float itself is the ledger check's).
 */
async function voucherFacts(db: pg.Client, acked: LoadReport['vouchers'] | undefined, fail: (text: string) => void): Promise<number> {
  let checked = 0;
  const { rows } = await db.query<VoucherFact>(`
    select v.id, v.batch_id, v.status, v.amount::text, v.currency, v.mode, w.phone, w.currency as wallet_currency, w.mode as wallet_mode,
      (select count(*)::int from transfers t where t.key = 'voucher:' || v.id || ':redeem') as redeem,
      (select count(*)::int from transfers t where t.key = 'voucher:' || v.id || ':end') as ends,
      (select coalesce(sum(p.amount), 0)::text from postings p join transfers t on t.id = p.transfer_id where t.key = 'voucher:' || v.id || ':redeem' and p.amount > 0) as credited,
      (select coalesce(sum(p.amount), 0)::text from postings p join transfers t on t.id = p.transfer_id where t.key = 'voucher:' || v.id || ':redeem' and p.purse = v.redeemed_purse) as credited_to_wallet
    from vouchers v left join wallets w on w.purse = v.redeemed_purse`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const v of rows) {
    checked += 2;
    const want = { redeem: v.status === 'redeemed' ? 1 : 0, ends: v.status === 'void' || v.status === 'expired' ? 1 : 0 };
    if (v.redeem !== want.redeem || v.ends !== want.ends) fail(`voucher ${v.id} (${v.status}): ${v.redeem} redemptions, ${v.ends} voids or expiries in the ledger`);
    if (v.redeem + v.ends > 1) fail(`voucher ${v.id}: both redeemed and voided or expired (${v.redeem} + ${v.ends} transfers)`);
    // its redemption credited exactly its amount, all of it to the wallet the voucher names
    const credited = v.status === 'redeemed' ? v.amount : '0';
    if (v.credited !== credited || v.credited_to_wallet !== credited) fail(`voucher ${v.id} (${v.status}, ${v.amount}): its redemption credited ${v.credited}, ${v.credited_to_wallet} of it to its wallet`);
  }
  checked += redemptionFacts(byId, acked, fail);
  const batches = await db.query<{ batch_id: string; n: number; total: string; moved: string }>(`
    select v.batch_id, count(*)::int as n, sum(v.amount)::text as total,
      (select coalesce(sum(p.amount), 0)::text from postings p join transfers t on t.id = p.transfer_id where t.key = 'voucher-batch:' || v.batch_id and p.amount > 0) as moved
    from vouchers v group by v.batch_id`);
  const batchById = new Map(batches.rows.map((b) => [b.batch_id, b]));
  for (const b of batches.rows) {
    checked += 1;
    if (b.total !== b.moved) fail(`voucher batch ${b.batch_id}: vouchers worth ${b.total}, its transfer moved ${b.moved}`);
  }
  for (const [batchId, count] of acked?.batches ?? []) {
    checked += 1;
    if (batchById.get(batchId)?.n !== count) fail(`voucher batch ${batchId}: answered 201 with ${count} vouchers, the database has ${batchById.get(batchId)?.n ?? 0}`);
  }
  for (const id of acked?.voided ?? []) {
    checked += 1;
    if (byId.get(id)?.status !== 'void') fail(`voucher ${id}: void answered 200, status is ${byId.get(id)?.status}`);
  }
  return checked;
}

type VoucherFact = {
  id: string; batch_id: string; status: string; amount: string; currency: string; mode: string; redeem: number; ends: number; credited: string; credited_to_wallet: string;
  /** Of the wallet it was redeemed into. */
  phone: string | null; wallet_currency: string | null; wallet_mode: string | null;
};

/** Every redemption /me answered "redeemed" to went into a wallet of the phone that posted it, in the voucher's currency and mode; each voucher was acknowledged once at most. */
function redemptionFacts(byId: Map<string, VoucherFact>, acked: LoadReport['vouchers'] | undefined, fail: (text: string) => void): number {
  let checked = 0;
  const seen = new Set<string>();
  for (const r of acked?.redeemed ?? []) {
    checked += 3;
    const v = byId.get(r.voucherId);
    const phone = parsePhone(r.phone);
    const into = `${v?.phone ? maskPhone(v.phone) : 'no wallet'} ${v?.wallet_currency} ${v?.wallet_mode}`;
    if (v?.status !== 'redeemed') fail(`voucher ${r.voucherId}: redeemed (answered 303), status is ${v?.status}`);
    else if (!phone.ok || v.phone !== phone.phone || v.wallet_currency !== v.currency || v.wallet_mode !== v.mode) fail(`voucher ${r.voucherId}: redeemed by ${phone.ok ? maskPhone(phone.phone) : 'a bad phone'} (answered 303), into ${into}`);
    if (seen.has(r.voucherId)) fail(`voucher ${r.voucherId}: redemption answered 303 more than once`);
    if (acked?.voided.has(r.voucherId)) fail(`voucher ${r.voucherId}: both its void (200) and a redemption (303) were acknowledged`);
    seen.add(r.voucherId);
  }
  return checked;
}

/** Voucher codes are secrets: one the service wrote to its output (as issued, or without its dashes) is counted, never printed. */
export function leakedVoucherCodes(output: string, codes: Set<string>): string[] {
  const spellings = (code: string) => [code, code.replace(/-/g, '')];
  const found = [...codes].filter((code) => spellings(code).some((c) => output.includes(c)));
  if (!found.length) return [];
  // where: the first such line, with the code itself blanked out
  const line = output.split('\n').find((l) => found.some((code) => spellings(code).some((c) => l.includes(c))))!;
  const shown = found.reduce((text, code) => spellings(code).reduce((t, c) => t.split(c).join('<voucher code>'), text), line);
  return [`${found.length} voucher codes appear in the service's log, first in: ${shown.slice(0, 400)}`];
}
