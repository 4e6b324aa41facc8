import type { Deps } from '../shared/deps.js';
import { inTransaction, isUniqueViolation, type Knex } from '../../postgres/db.js';
import * as wallets from '../../store/wallets.js';
import { AppError } from '../../domain/errors.js';
import { newHolderId, newPurse, type Wallet } from '../../domain/wallet.js';
import type { Currency } from '../../domain/currency.js';
import type { Mode } from '../../domain/ledger.js';
import type { Phone } from '../../domain/phone.js';

export type CreateWalletInput = { currency: Currency; mode: Mode; phone?: Phone };

/** Opens a customer wallet, linked to a phone when one is given (one wallet per phone, currency and mode). */
export async function createWallet(deps: Pick<Deps, 'db' | 'clock'>, input: CreateWalletInput): Promise<Wallet> {
  try {
    return await inTransaction(deps.db, async (trx) => {
      const phone = input.phone ?? null;
      const holderId = (phone && (await wallets.findHolderIdOfPhone(trx, phone, input.mode))) || newHolderId();
      return insertWithFreshPurse(trx, { holderId, currency: input.currency, kind: 'customer', mode: input.mode, phone, merchantId: null, shopId: null, createdAt: deps.clock.now() });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'wallets_phone_link')) {
      throw new AppError('phone_already_linked', `This phone already has a ${input.mode} ${input.currency} wallet`);
    }
    throw err;
  }
}

/**
 * The phone's customer wallet of a currency and mode, opened when it has none, under the phone's lock: two first uses of one phone
 * at once make one wallet. A new wallet joins the phone's other wallets under their holder id.
 */
export async function ensurePhoneWallet(trx: Knex.Transaction, w: { phone: string; currency: Currency; mode: Mode; at: Date }): Promise<Wallet> {
  await wallets.lockPhoneWallets(trx, w.phone, w.mode);
  return (await wallets.findWalletByPhone(trx, w.phone, w.currency, w.mode))
    ?? insertWithFreshPurse(trx, {
      holderId: (await wallets.findHolderIdOfPhone(trx, w.phone, w.mode)) ?? newHolderId(), currency: w.currency, kind: 'customer', mode: w.mode,
      phone: w.phone, merchantId: null, shopId: null, createdAt: w.at,
    });
}

/** Purses are random; on the rare collision another one is drawn. */
export async function insertWithFreshPurse(trx: Knex.Transaction, w: Omit<Wallet, 'purse' | 'balance' | 'held' | 'status'>): Promise<Wallet> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const created = await wallets.insertWallet(trx, { ...w, purse: newPurse(w.currency) });
    if (created) return created;
  }
  throw new Error('could not draw a free purse number');
}
