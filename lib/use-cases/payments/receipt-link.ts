import type { Config } from '../../config.js';
import type { Db } from '../../postgres/db.js';
import { findReceipt, insertReceipt, type ReceiptRow } from '../../store/receipts.js';
import { receiptToken, receiptTokenHash } from '../../domain/receipt.js';
import type { PaymentId } from '../../domain/ids.js';
import { codeSecretsFor, currentCodeSecret } from './code-secrets.js';

type SecretConfig = Pick<Config, 'codeSecret' | 'codeSecretPrevious' | 'codeSecretNext'>;

/**
 * The receipt of a paid payment, made once in the transaction that pays (or captures) it: the token is derived from
 * CODE_SECRET and the payment id (docs/buyer-guide.md#receipts), so only its hash and the secret's id are written.
 */
export async function ensureReceipt(config: SecretConfig, trx: Db, paymentId: PaymentId, at: Date): Promise<ReceiptRow> {
  return insertReceipt(trx, newReceipt(config, paymentId, at));
}

/** The receipt row of a payment paid now, not yet written (tp_confirm writes it with the payment). */
export function newReceipt(config: SecretConfig, paymentId: PaymentId, at: Date): ReceiptRow {
  const { secret, id } = currentCodeSecret(config);
  return { paymentId, tokenHash: receiptTokenHash(receiptToken(secret, paymentId)), secretId: id, createdAt: at };
}

/** The token again, from the secret it was made with (CODE_SECRET, or a previous one during a rotation). */
export function tokenOfReceipt(config: SecretConfig, receipt: Pick<ReceiptRow, 'paymentId' | 'secretId'>): string {
  return receiptToken(codeSecretsFor(config, receipt.secretId)[0]!, receipt.paymentId);
}

/** `/r/{token}` of a payment's receipt, for pages that link to it (the buyer's /me history); null before the payment was paid. */
export async function receiptPathOf(deps: { db: Db; config: SecretConfig }, paymentId: PaymentId): Promise<string | null> {
  const receipt = await findReceipt(deps.db, paymentId);
  return receipt ? `/r/${tokenOfReceipt(deps.config, receipt)}` : null;
}
