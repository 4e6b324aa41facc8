import type { Deps } from '../shared/deps.js';
import { paymentsOfPhone, traceRows } from '../../store/phone-traces.js';
import { listHistoryOfPurses, listPaymentsOfPhone, listWalletsOfPhone } from '../../store/phone-export.js';
import { formatAmount } from '../../domain/money.js';
import { e164, type Phone } from '../../domain/phone.js';

/**
 * Everything kept about a phone (docs/operator-guide.md#erasure-and-export), as JSON: its wallets and their
 * history, its payments as the buyer sees them, and `records`, every row of every table that names it
 * (the same tables erasure covers, secrets left out) — receipts, passkeys, sessions and messages included.
 * One snapshot: a repeatable-read transaction, read only.
 */
export async function exportPhone(deps: Pick<Deps, 'db' | 'clock'>, phone: Phone) {
  return deps.db.transaction(async (trx) => {
    const found = await paymentsOfPhone(trx, phone);
    const wallets = await listWalletsOfPhone(trx, phone);
    const [history, payments, records] = [
      await listHistoryOfPurses(trx, wallets.map((w) => w.purse)),
      await listPaymentsOfPhone(trx, found.payments),
      await traceRows(trx, phone, found),
    ];
    return {
      phone: e164(phone),
      exported_at: deps.clock.now().toISOString(),
      wallets: wallets.map((w) => ({ purse: w.purse, currency: w.currency, mode: w.mode, balance: formatAmount(w.balance), held: formatAmount(w.held), created_at: w.createdAt.toISOString() })),
      history: history.map((h) => ({ purse: h.purse, transfer_id: String(h.transferId), kind: h.kind, amount: formatAmount(h.amount), balance_after: formatAmount(h.balanceAfter), payment: h.payment, at: h.at.toISOString() })),
      payments: payments.map((p) => ({
        id: p.id, shop: p.shopName, amount: formatAmount(p.amount), currency: p.currency, status: p.status, description: p.description,
        refunded: formatAmount(p.amountRefunded), created_at: p.createdAt.toISOString(), paid_at: p.paidAt?.toISOString() ?? null,
      })),
      // the parts of `records` a person asks about first, in plain fields
      passkeys: pick(records.passkeys, ['id', 'credential_id', 'created_at', 'last_used_at']),
      sessions: pick(records.sessions, ['created_at', 'last_seen_at', 'signed_in_with']),
      receipts: pick(records.receipts, ['payment_id', 'created_at']),
      messages: pick(records.sms_messages, ['id', 'payment_id', 'kind', 'channel', 'status', 'text_redacted', 'created_at']),
      records,
    };
  }, { isolationLevel: 'repeatable read', readOnly: true });
}

function pick(rows: Record<string, unknown>[] | undefined, keys: string[]): Record<string, unknown>[] {
  return (rows ?? []).map((r) => Object.fromEntries(keys.filter((k) => k in r).map((k) => [k === 'text_redacted' ? 'text' : k, r[k]])));
}
