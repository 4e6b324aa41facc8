import { query, queryOne, type Db } from '../postgres/db.js';
import type { Currency } from '../domain/currency.js';
import type { Mode } from '../domain/ledger.js';
import type { Minor } from '../domain/money.js';
import type { Wallet, FeeWallet } from '../domain/wallet.js';

export const COLUMNS = `purse, holder_id as "holderId", currency, kind, mode, phone, merchant_id as "merchantId", shop_id as "shopId",
  balance, held, status, created_at as "createdAt"`;

/** Returns nothing when the purse number is taken (the caller draws another); a taken phone link throws. */
export async function insertWallet(db: Db, w: Omit<Wallet, 'balance' | 'held' | 'status'>): Promise<Wallet | undefined> {
  return queryOne(db,
    `insert into wallets (purse, holder_id, currency, kind, mode, phone, merchant_id, shop_id, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (purse) do nothing returning ${COLUMNS}`,
    [w.purse, w.holderId, w.currency, w.kind, w.mode, w.phone, w.merchantId, w.shopId, w.createdAt],
  );
}

export async function findWallet(db: Db, purse: string): Promise<Wallet | undefined> {
  return queryOne(db, `select ${COLUMNS} from wallets where purse = ?`, [purse]);
}

export async function findWalletByPhone(db: Db, phone: string, currency: Currency, mode: Mode): Promise<Wallet | undefined> {
  return queryOne(db, `select ${COLUMNS} from wallets where phone = ? and currency = ? and mode = ?`, [phone, currency, mode]);
}

/** Any holder id already used by this phone, so one person keeps one holder id across currencies. */
export async function findHolderIdOfPhone(db: Db, phone: string, mode: Mode): Promise<string | undefined> {
  return (await queryOne<{ holder_id: string }>(db, `select holder_id from wallets where phone = ? and mode = ? limit 1`, [phone, mode]))?.holder_id;
}

/**
 * Locks the wallets in one order every transaction follows, so none deadlock: the wallets of
 * buyers and merchants by purse, then the operator's accounts (issuance, fees, clearing) by purse.
 * The order has one home, tp_lock_wallets, which tp_transfer_plan takes its locks with too.
 * The operator's accounts come last because many payments share them: taken first, a fee account
 * stayed locked while its holder waited for a busy merchant's wallet, and the next payments queued
 * behind both. NO KEY UPDATE leaves foreign-key checks of rows that point at a wallet unblocked.
 */
export async function lockWallets(db: Db, purses: string[]): Promise<Wallet[]> {
  return query(db,
    `select ${COLUMNS} from tp_lock_wallets(?::text[])`,
    [[...new Set(purses)]],
  );
}

/** The wallet's lock when no other transaction holds it (a batch job moves on instead of stalling payments). */
export async function lockWalletIfFree(db: Db, purse: string): Promise<Wallet | undefined> {
  return queryOne(db, `select ${COLUMNS} from wallets where purse = ? for no key update skip locked`, [purse]);
}

export async function addHeld(db: Db, purse: string, delta: Minor): Promise<void> {
  await query(db, `update wallets set held = held + ? where purse = ?`, [delta, purse]);
}

export async function ensureIssuanceWallet(db: Db, w: { purse: string; holderId: string; currency: Currency; mode: Mode; createdAt: Date }): Promise<void> {
  await query(db,
    `insert into wallets (purse, holder_id, currency, kind, mode, created_at) values (?, ?, ?, 'system', ?, ?) on conflict do nothing`,
    [w.purse, w.holderId, w.currency, w.mode, w.createdAt],
  );
}

/** The operator's fee or payouts clearing wallet of a currency and mode, created the first time it is needed. */
export async function ensureOperatorWallet(db: Db, w: { kind: 'fees' | 'clearing'; purse: string; holderId: string; currency: Currency; mode: Mode; createdAt: Date }): Promise<void> {
  await query(db,
    `insert into wallets (purse, holder_id, currency, kind, mode, created_at) values (?, ?, ?, ?, ?, ?) on conflict do nothing`,
    [w.purse, w.holderId, w.currency, w.kind, w.mode, w.createdAt],
  );
}

/**
 * The fee wallets, for the operator (GET /admin/v1/fees): one per currency and mode, its purse (the
 * account of shard 0, which sorts first) and the money over all its accounts.
 */
export async function listFeeWallets(db: Db, f: { currency?: Currency; mode?: Mode }): Promise<FeeWallet[]> {
  return query<FeeWallet>(db,
    `select currency, mode, min(purse) as purse, sum(balance)::bigint as balance from wallets
     where kind = 'fees' and currency = coalesce(?, currency) and mode = coalesce(?, mode)
     group by currency, mode order by currency, mode`,
    [f.currency ?? null, f.mode ?? null]);
}

/** The payee purses of a shop, one per currency. */
export async function listShopWallets(db: Db, shopId: string): Promise<Wallet[]> {
  return query<Wallet>(db, `select ${COLUMNS} from wallets where shop_id = ? order by created_at, purse`, [shopId]);
}

/** Every payee purse of a merchant, over all its shops. */
export async function listMerchantWallets(db: Db, merchantId: string, mode?: Mode): Promise<Wallet[]> {
  return query<Wallet>(db, `select ${COLUMNS} from wallets where merchant_id = ? and kind = 'merchant' and mode = coalesce(?, mode) order by created_at, purse`, [merchantId, mode ?? null]);
}

/** Serializes the first use of a phone's wallets (two requests making a test phone's wallet at once). */
export async function lockPhoneWallets(db: Db, phone: string, mode: Mode): Promise<void> {
  await query(db, `select pg_advisory_xact_lock(hashtext('wallet-of-phone:' || ? || ':' || ?))`, [phone, mode]);
}
