import { queryOne, type Db } from '../postgres/db.js';
import type { PaymentId } from '../domain/ids.js';

/** A payment's receipt: the hash of its token (never the token) and the id of the secret it is derived with. */
export type ReceiptRow = { paymentId: PaymentId; tokenHash: string; secretId: string; createdAt: Date };

const COLUMNS = `payment_id as "paymentId", token_hash as "tokenHash", secret_id as "secretId", created_at as "createdAt"`;

/** Once per payment: a second call (a retried or raced announcement) keeps the first row. */
export async function insertReceipt(db: Db, r: ReceiptRow): Promise<ReceiptRow> {
  const made = await queryOne<ReceiptRow>(db, `insert into receipts (payment_id, token_hash, secret_id, created_at) values (?, ?, ?, ?)
    on conflict (payment_id) do nothing returning ${COLUMNS}`, [r.paymentId, r.tokenHash, r.secretId, r.createdAt]);
  return made ?? (await findReceipt(db, r.paymentId))!;
}

export async function findReceipt(db: Db, paymentId: PaymentId): Promise<ReceiptRow | undefined> {
  return queryOne<ReceiptRow>(db, `select ${COLUMNS} from receipts where payment_id = ?`, [paymentId]);
}

export async function findReceiptByHash(db: Db, tokenHash: string): Promise<ReceiptRow | undefined> {
  return queryOne<ReceiptRow>(db, `select ${COLUMNS} from receipts where token_hash = ?`, [tokenHash]);
}
