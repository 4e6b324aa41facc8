import { query, queryOne, type Db } from '../postgres/db.js';
import type { Minor } from '../domain/money.js';
import type { Currency } from '../domain/currency.js';
import type { MerchantId, PaymentId, RefundId } from '../domain/ids.js';

export type RefundRow = {
  id: RefundId;
  paymentId: PaymentId;
  merchantId: MerchantId;
  amount: Minor;
  currency: Currency;
  phone: string;
  purse: string;
  transferId: bigint;
  createKey: string | null;
  createdAt: Date;
};

const COLUMNS = `id, payment_id as "paymentId", merchant_id as "merchantId", amount, currency, phone, purse,
  transfer_id as "transferId", create_key as "createKey", created_at as "createdAt"`;

export async function insertRefund(db: Db, r: RefundRow): Promise<RefundRow> {
  return (await queryOne<RefundRow>(
    db,
    `insert into refunds (id, payment_id, merchant_id, amount, currency, phone, purse, transfer_id, create_key, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning ${COLUMNS}`,
    [r.id, r.paymentId, r.merchantId, r.amount, r.currency, r.phone, r.purse, r.transferId, r.createKey, r.createdAt],
  ))!;
}

export async function findRefundByKey(db: Db, paymentId: string, createKey: string): Promise<RefundRow | undefined> {
  return queryOne<RefundRow>(db, `select ${COLUMNS} from refunds where payment_id = ? and create_key = ?`, [paymentId, createKey]);
}

export async function listRefunds(db: Db, paymentId: string): Promise<RefundRow[]> {
  return query<RefundRow>(db, `select ${COLUMNS} from refunds where payment_id = ? order by created_at desc, transfer_id desc`, [paymentId]);
}
