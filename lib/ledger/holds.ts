import type { Knex } from '../postgres/db.js';
import * as holds from '../store/holds.js';
import * as wallets from '../store/wallets.js';
import { AppError } from '../domain/errors.js';
import { captureAmount } from '../domain/capture.js';
import { legsWithFee } from './fees.js';
import { saleEntry } from '../domain/balance.js';
import type { Mode, Hold } from '../domain/ledger.js';
import { newId } from '../domain/ids.js';
import type { Currency } from '../domain/currency.js';
import type { Minor } from '../domain/money.js';
import { ledgerRefusal, postTransfer } from './transfer.js';

export type HoldResult = { hold: Hold; replayed: boolean };

/** Reserves `amount` on a wallet: its available money drops, its balance does not. Keyed like transfers; one call of tp_hold. */
export async function placeHold(
  trx: Knex.Transaction,
  req: { key: string; purse: string; amount: Minor; currency: Currency; mode: Mode; at: Date; expiresAt: Date },
): Promise<HoldResult> {
  const id = newId('hld');
  const row = await holds.callHold(trx, { id, ...req });
  if (row.refusal) throw ledgerRefusal(row.refusal, req.purse);
  if (row.replayed) return { hold: (await holds.findHoldByKey(trx, req.key))!, replayed: true };
  return {
    hold: { id, key: req.key, purse: req.purse, amount: req.amount, status: 'active', capturedAmount: null, transferId: null, createdAt: req.at, expiresAt: req.expiresAt, settledAt: null },
    replayed: false,
  };
}

async function lockActiveHold(trx: Knex.Transaction, holdId: string): Promise<Hold> {
  const hold = await holds.lockHold(trx, holdId);
  if (!hold) throw new Error(`hold ${holdId} does not exist`);
  if (hold.status !== 'active') throw new AppError('invalid_state', `The reservation is already ${hold.status}`);
  return hold;
}

/** Takes `amount` (at most the hold) from the reserved money to `toPurse`; the rest of the hold is released. */
export async function captureHold(
  trx: Knex.Transaction,
  req: { holdId: string; paymentId: string; amount: Minor; fee: Minor; toPurse: string; transferKey: string; currency: Currency; mode: Mode; at: Date; metadata?: Record<string, unknown> },
) {
  const hold = await lockActiveHold(trx, req.holdId);
  captureAmount(hold.amount, req.amount, req.currency);
  const result = await postTransfer(trx, {
    key: req.transferKey,
    kind: 'capture',
    currency: req.currency,
    mode: req.mode,
    legs: legsWithFee(req, hold.purse, req.toPurse, req.amount, req.fee),
    at: req.at,
    metadata: { hold: hold.id, payment: req.paymentId, ...req.metadata },
    releaseHeld: new Map([[hold.purse, hold.amount]]),
    entries: [saleEntry(req.toPurse, { amount: req.amount, fee: req.fee, paymentId: req.paymentId, paidAt: req.at })],
  });
  await holds.markHoldCaptured(trx, hold.id, req.amount, result.transfer.id, req.at);
  return result;
}

/** Gives the reserved money back to the wallet's available balance. */
export async function releaseHold(trx: Knex.Transaction, req: { holdId: string; at: Date }): Promise<Hold> {
  const hold = await lockActiveHold(trx, req.holdId);
  await wallets.lockWallets(trx, [hold.purse]);
  await wallets.addHeld(trx, hold.purse, -hold.amount);
  await holds.markHoldReleased(trx, hold.id, req.at);
  return hold;
}
