import { readMany, type Db } from '../postgres/db.js';
import { COLUMNS as SHOP_COLUMNS, FROM as SHOP_FROM } from './shops.js';
import { COLUMNS as WALLET_COLUMNS } from './wallets.js';
import type { Shop } from '../domain/shop.js';
import { PURSE_PATTERN, type Wallet } from '../domain/wallet.js';

/** What a create renders its plan from: the shop of the payee purse, that wallet, and the wallet of the buyer's phone in its currency and mode. */
export type CreateRead = { shop: Shop | undefined; payee: Wallet | undefined; payer: Wallet | undefined };

/**
 * One round trip for the three (docs/architecture.md#money-statements); nothing here decides: tp_create does, under its locks.
 * Undefined when a value is not of the shape of a purse or a phone: the caller's own checks then answer it.
 */
export async function readForCreate(db: Db, purse: string, phone: string): Promise<CreateRead | undefined> {
  if (!PURSE_PATTERN.test(purse) || !/^\+?[0-9]{6,20}$/.test(phone)) return undefined;
  const [shops, payees, payers] = await readMany<[Shop[], Wallet[], Wallet[]]>(db, [
    `select ${SHOP_COLUMNS} from ${SHOP_FROM} where s.id = (select shop_id from wallets where purse = {{purse}})`,
    `select ${WALLET_COLUMNS} from wallets where purse = {{purse}}`,
    `select ${WALLET_COLUMNS} from wallets where (phone, currency, mode) = (select {{phone}}, currency, mode from wallets where purse = {{purse}})`,
  ], { purse, phone });
  return { shop: shops[0], payee: payees[0], payer: payers[0] };
}
