import type { PaymentId, MerchantId } from '../../domain/ids.js';
import type { Mode } from '../../domain/ledger.js';
import type { Deps } from '../shared/deps.js';
import { listSms, listSmsOfPayment } from '../../store/sms-messages.js';
import { findOwnedPayment } from '../payments/owned-payment.js';
import type { SmsMessage } from '../../domain/sms-message.js';

/** The SMS sent for a payment the merchant owns. */
export async function listMessagesOfPayment(deps: Pick<Deps, 'db'>, paymentId: PaymentId, merchantId: MerchantId, mode?: Mode): Promise<SmsMessage[]> {
  const payment = await findOwnedPayment(deps.db, paymentId, merchantId, mode);
  return listSmsOfPayment(deps.db, payment.id);
}

/** The operator's view: messages of a payment or of a phone. */
export async function listMessages(deps: Pick<Deps, 'db'>, filter: { paymentId?: string; phone?: string; limit: number }): Promise<SmsMessage[]> {
  return listSms(deps.db, filter);
}
