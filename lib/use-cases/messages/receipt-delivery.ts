import type { Config } from '../../config.js';
import { ServerKeyError } from '../../domain/errors.js';
import { isPaymentId, type PaymentId } from '../../domain/ids.js';
import type { Notification } from '../../domain/notification.js';
import { tokenOfReceipt } from '../payments/receipt-link.js';

/** The payment whose receipt an outbox row carries (docs/buyer-guide.md#receipts), if it is one. */
export function receiptOf(n: Pick<Notification, 'kind' | 'body'>): { paymentId: PaymentId; secretId: string } | undefined {
  if (n.kind !== 'sms' && n.kind !== 'mail') return undefined;
  const { receipt, secret_id } = JSON.parse(n.body) as { receipt?: unknown; secret_id?: unknown };
  return isPaymentId(receipt) && typeof secret_id === 'string' ? { paymentId: receipt, secretId: secret_id } : undefined;
}

/** The receipt's token, derived again at send time (the row names the secret's id: no read); undefined when this instance lacks that secret. */
export function receiptTokenOf(config: Pick<Config, 'codeSecret' | 'codeSecretPrevious' | 'codeSecretNext'>, receipt: { paymentId: PaymentId; secretId: string }): string | undefined {
  try {
    return tokenOfReceipt(config, receipt);
  } catch (err) {
    if (err instanceof ServerKeyError) return undefined;
    throw err;
  }
}
