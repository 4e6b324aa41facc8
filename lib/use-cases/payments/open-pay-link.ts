import type { PaymentId } from '../../domain/ids.js';
import type { PayDeps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import { currentCode } from '../../store/codes.js';
import type { Lang } from '../../i18n/index.js';
import { finishSend, lockOpen, preparePhone, reserveSms, type CodeStep } from './send-code.js';
import { findPayment } from '../../store/payments.js';

/**
 * Opening a pay link sends its code once: the check "no code yet" and the code itself happen under
 * the payment's row lock, so two opens at once (a double tap, a link preview) send one SMS.
 */
export async function openPayLink(deps: PayDeps, paymentId: PaymentId, lang: Lang): Promise<void> {
  const payment = await findPayment(deps.db, paymentId);
  // only a link that has not sent its code yet takes an SMS slot
  if (payment?.phone && payment.status === 'created' && !(await currentCode(deps.db, payment.id))) await reserveSms(deps, payment.phone, payment.mode);
  const step = await inTransaction(deps.db, async (trx): Promise<CodeStep | undefined> => {
    const locked = await lockOpen(deps, trx, { paymentId, lang });
    if ('stopped' in locked) return locked;
    if (locked.status !== 'created' || (await currentCode(trx, locked.id))) return undefined;
    return preparePhone(deps, trx, locked, { lang });
  });
  if (step) await finishSend(deps, { paymentId, lang }, step);
}
