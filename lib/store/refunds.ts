import { query, queryOne, type Db } from '../postgres/db.js';
import type { Refund } from '../domain/refund.js';

const COLUMNS = `id, payment_id as "paymentId", merchant_id as "merchantId", amount, currency, phone, purse,
  transfer_id as "transferId", create_key as "createKey", created_at as "createdAt"`;

export async function insertRefund(db: Db, r: Refund): Promise<Refund> {
  return (await queryOne<Refund>(
    db,
    `insert into refunds (id, payment_id, merchant_id, amount, currency, phone, purse, transfer_id, create_key, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning ${COLUMNS}`,
    [r.id, r.paymentId, r.merchantId, r.amount, r.currency, r.phone, r.purse, r.transferId, r.createKey, r.createdAt],
  ))!;
}

export async function findRefundByKey(db: Db, paymentId: string, createKey: string): Promise<Refund | undefined> {
  return queryOne<Refund>(db, `select ${COLUMNS} from refunds where payment_id = ? and create_key = ?`, [paymentId, createKey]);
}

export async function listRefunds(db: Db, paymentId: string): Promise<Refund[]> {
  return query<Refund>(db, `select ${COLUMNS} from refunds where payment_id = ? order by created_at desc, transfer_id desc`, [paymentId]);
}
