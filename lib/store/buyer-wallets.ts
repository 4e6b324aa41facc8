import { query, type Db } from '../postgres/db.js';
import type { Mode } from '../domain/ledger.js';
import type { Wallet, WalletStatus } from '../domain/wallet.js';
import type { HistoryRow } from '../domain/wallet-history.js';

const COLUMNS = `purse, holder_id as "holderId", currency, kind, mode, phone, merchant_id as "merchantId", shop_id as "shopId",
  balance, held, status, created_at as "createdAt"`;

/** The buyer's wallets of a phone in one mode, by currency. */
export async function listPhoneWallets(db: Db, phone: string, mode: Mode): Promise<Wallet[]> {
  return query<Wallet>(db, `select ${COLUMNS} from wallets where phone = ? and mode = ? and kind = 'customer' order by currency, purse`, [phone, mode]);
}

/** Every wallet linked to the phone (both modes), locked in purse order as every transfer locks buyers' wallets. */
export async function lockPhoneWallets(db: Db, phone: string): Promise<Wallet[]> {
  return query<Wallet>(db, `select ${COLUMNS} from wallets where phone = ? and kind = 'customer' order by purse for no key update`, [phone]);
}

/** Freezes or unfreezes these wallets; the ones already so are left as they are. */
export async function setWalletsStatus(db: Db, purses: string[], status: WalletStatus, at: Date): Promise<string[]> {
  const rows = await query<{ purse: string }>(db,
    `update wallets set status = ?, frozen_at = case when ? = 'frozen' then ?::timestamptz end where purse = any(?) and status <> ? returning purse`,
    [status, status, at, purses, status]);
  return rows.map((r) => r.purse);
}

/**
 * The history of these wallets, newest first: every posting (with its transfer's kind and payment), every hold
 * placed and every hold ended (captured, released or expired), one page at a time.
 */
export async function listWalletHistory(db: Db, purses: string[], page: { limit: number; offset: number }): Promise<HistoryRow[]> {
  return query<HistoryRow>(db,
    `select * from (
       select 'p' || p.id as id, p.purse, t.kind, p.amount, p.created_at as at, t.metadata->>'payment' as "paymentId", p.id as seq
       from postings p join transfers t on t.id = p.transfer_id where p.purse = any(?)
       union all
       select h.id, h.purse, 'hold', -h.amount, h.created_at, substring(h.key from '^payment:(.+):hold$'), 0
       from holds h where h.purse = any(?)
       union all
       select h.id || '-end', h.purse, 'hold_released', h.amount, h.settled_at, substring(h.key from '^payment:(.+):hold$'), 0
       from holds h where h.purse = any(?) and h.status <> 'active'
     ) e order by at desc, seq desc, id desc limit ? offset ?`,
    [purses, purses, purses, page.limit, page.offset]);
}
