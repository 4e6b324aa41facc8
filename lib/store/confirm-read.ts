import { readMany, type Db } from '../postgres/db.js';
import { COLUMNS as PAYMENT_COLUMNS } from './payments.js';
import { COLUMNS as SHOP_COLUMNS, FROM as SHOP_FROM } from './shops.js';
import { COLUMNS as WALLET_COLUMNS } from './wallets.js';
import { COLUMNS as CODE_COLUMNS } from './codes.js';
import { PAYMENT_ID_PATTERN, type PaymentId } from '../domain/ids.js';
import type { Payment } from '../domain/payment.js';
import type { Shop } from '../domain/shop.js';
import type { Wallet } from '../domain/wallet.js';
import type { PaymentCode } from '../domain/code.js';

/** What a confirm renders its plan from, read unlocked; `version` (the row's xmin) lets tp_confirm see that nothing changed since. */
export type ConfirmRead = { payment: Payment; version: string; shop: Shop; code: PaymentCode | undefined; wallet: Wallet | undefined; transferId: bigint };

/**
 * One round trip for all of it (docs/architecture.md#money-statements): the payment, its shop, its current code, the wallet of
 * that code's phone, and a transfer number for the Result's signature. Nothing here decides: tp_confirm does, under its locks.
 */
export async function readForConfirm(db: Db, paymentId: PaymentId): Promise<ConfirmRead | undefined> {
  if (!PAYMENT_ID_PATTERN.test(paymentId)) return undefined;
  const [payments, shops, codes, wallets, ids] = await readMany<[(Payment & { version: string })[], Shop[], PaymentCode[], Wallet[], { id: bigint }[]]>(db, [
    `select ${PAYMENT_COLUMNS}, xmin::text as version from payments where id = {{id}}`,
    `select ${SHOP_COLUMNS} from ${SHOP_FROM} where s.id = (select shop_id from payments where id = {{id}})`,
    `select ${CODE_COLUMNS} from payment_codes where payment_id = {{id}} order by seq desc limit 1`,
    `select ${WALLET_COLUMNS} from wallets w where (phone, currency, mode) =
       (select c.phone, p.currency, p.mode from payments p, lateral (select phone from payment_codes where payment_id = p.id order by seq desc limit 1) c where p.id = {{id}})`,
    `select nextval('transfers_id_seq') as id`,
  ], { id: paymentId });
  const found = payments[0];
  if (!found) return undefined;
  const { version, ...payment } = found;
  return { payment, version, shop: shops[0]!, code: codes[0], wallet: wallets[0], transferId: ids[0]!.id };
}
