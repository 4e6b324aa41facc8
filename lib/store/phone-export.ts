import { query, type Db } from '../postgres/db.js';
import type { Wallet } from '../domain/wallet.js';

const WALLET = `purse, holder_id as "holderId", currency, kind, mode, phone, merchant_id as "merchantId", shop_id as "shopId",
  balance, held, created_at as "createdAt"`;

/** The wallets linked to a phone, locked in purse order (the order of lockWallets), so money cannot come in while it is erased. */
export async function lockWalletsOfPhone(db: Db, phone: string): Promise<Wallet[]> {
  return query(db, `select ${WALLET} from wallets where phone = ? order by purse for no key update`, [phone]);
}

export async function listWalletsOfPhone(db: Db, phone: string): Promise<Wallet[]> {
  return query(db, `select ${WALLET} from wallets where phone = ? order by purse`, [phone]);
}

export type HistoryEntry = { purse: string; transferId: bigint; kind: string; amount: bigint; balanceAfter: bigint; at: Date; payment: string | null };

/** Every movement of the wallets, newest first: what the buyer sees as history. */
export async function listHistoryOfPurses(db: Db, purses: string[]): Promise<HistoryEntry[]> {
  return query(db,
    `select p.purse, p.transfer_id as "transferId", t.kind, p.amount, p.balance_after as "balanceAfter", p.created_at as at,
       t.metadata->>'payment' as payment
     from postings p join transfers t on t.id = p.transfer_id where p.purse = any(?) order by p.id desc`,
    [purses]);
}

export type PaymentOfPhone = {
  id: string; shopName: string; amount: bigint; currency: string; status: string; description: string;
  createdAt: Date; paidAt: Date | null; amountRefunded: bigint;
};

/** The phone's payments as the buyer sees them: the shop, the amount, the status, what was bought. */
export async function listPaymentsOfPhone(db: Db, ids: string[]): Promise<PaymentOfPhone[]> {
  return query(db,
    `select p.id, s.name as "shopName", p.amount, p.currency, p.status, p.description, p.created_at as "createdAt",
       p.paid_at as "paidAt", p.amount_refunded as "amountRefunded"
     from payments p join shops s on s.id = p.shop_id where p.id = any(?) order by p.invoice_no desc`,
    [ids]);
}
