import type { Knex } from '../postgres/db.js';
import * as ledger from '../store/ledger.js';
import * as wallets from '../store/wallets.js';
import { planTransfer, type Leg, type Mode, type Transfer } from '../domain/ledger.js';
import type { Currency } from '../domain/currency.js';
import type { Minor } from '../domain/money.js';
import { AppError } from '../domain/errors.js';
import { assertEntriesExplainLegs, type BalanceEntry } from '../domain/balance.js';
import { newId } from '../domain/ids.js';

export type TransferRequest = {
  /** Unique per movement of money: the same key never moves money twice. */
  key: string;
  kind: string;
  currency: Currency;
  mode: Mode;
  legs: Leg[];
  at: Date;
  metadata?: Record<string, unknown>;
  /** Held amounts to release on the same wallets as part of this transfer (capturing a hold). */
  releaseHeld?: Map<string, Minor>;
  /** The balance transactions (docs/merchant-guide.md#balance-payouts-and-statements) explaining every merchant wallet this transfer moves. */
  entries?: BalanceEntry[];
};

export type TransferResult = { transfer: Transfer; replayed: boolean };

/**
 * Moves money inside the caller's transaction: lock the wallets in purse order, check, claim the
 * key, write balanced postings, the new balances and the balance transactions of merchant wallets
 * (one statement).
 * Every check comes before the first write, so a refusal leaves the caller's transaction clean (no savepoint needed). A key that already moved
 * money returns that transfer and changes nothing; the same key for another movement is refused.
 */
export async function postTransfer(trx: Knex.Transaction, req: TransferRequest): Promise<TransferResult> {
  const locked = await wallets.lockWallets(trx, req.legs.map((l) => l.purse));
  // balance transactions are the story of merchant wallets only; a sale paid into any other wallet has none
  const merchantPurses = new Set(locked.filter((w) => w.kind === 'merchant').map((w) => w.purse));
  const entries = (req.entries ?? []).filter((e) => merchantPurses.has(e.purse));
  assertEntriesExplainLegs(merchantPurses, req.legs, entries);
  let plan;
  try {
    plan = planTransfer(locked, req.legs, { currency: req.currency, mode: req.mode }, req.releaseHeld);
  } catch (err) {
    // a retry of a transfer that already happened is a replay, even if the money has moved on since
    const earlier = await replay(trx, req);
    if (earlier) return earlier;
    throw err;
  }
  const inserted = await ledger.writeTransfer(
    trx,
    { key: req.key, kind: req.kind, currency: req.currency, mode: req.mode, createdAt: req.at, metadata: req.metadata ?? {} },
    plan.postings,
    plan.balances,
    // written with the movement, under the same wallet locks: a payout never misses one
    entries.map((entry) => ({ id: newId('txn'), entry })),
  );
  if (!inserted) {
    const earlier = await replay(trx, req);
    if (!earlier) throw new Error(`transfer ${req.key} conflicted but cannot be found`);
    return earlier;
  }
  return { transfer: inserted, replayed: false };
}

async function replay(trx: Knex.Transaction, req: TransferRequest): Promise<TransferResult | undefined> {
  const existing = await ledger.findTransferByKey(trx, req.key);
  if (!existing) return undefined;
  const postings = await ledger.listPostingsOfTransfer(trx, existing.id);
  if (!sameMovement(postings, req.legs)) {
    throw new AppError('idempotency_key_reused', 'This key already moved a different amount or between other wallets');
  }
  return { transfer: existing, replayed: true };
}

function sameMovement(postings: { purse: string; amount: Minor }[], legs: Leg[]): boolean {
  const signature = (items: { purse: string; amount: Minor }[]) =>
    items.map((i) => `${i.purse}:${i.amount}`).sort().join('|');
  return signature(postings) === signature(legs);
}
