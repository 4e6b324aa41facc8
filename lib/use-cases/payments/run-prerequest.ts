import type { PayDeps } from '../shared/deps.js';
import * as notifications from '../../store/notifications.js';
import { newId } from '../../domain/ids.js';
import { postOutbound } from '../../notify/outbound-http.js';
import { formEncode, prerequestFields } from '../../notify/lmi-fields.js';
import type { Payment } from '../../domain/payment.js';

/**
 * The pre-request of docs/merchant-guide.md#the-result-notification: before any code is sent, the Result URL gets LMI_PREREQUEST=1 with
 * the fields known so far. Only a 2xx whose body is YES (within the timeout) lets the payment go
 * on. The exchange is kept as a notification with its attempt, so the merchant can list it.
 */
export async function runPrerequest(deps: PayDeps, payment: Payment): Promise<boolean> {
  const at = deps.clock.now();
  const body = formEncode(prerequestFields(payment));
  const id = newId('ntf');
  await notifications.insertNotification(deps.db, {
    id, merchantId: payment.merchantId, paymentId: payment.id, kind: 'prerequest', eventType: null,
    url: payment.resultUrl, contentType: 'application/x-www-form-urlencoded', body, createdAt: at, nextAttemptAt: at,
  });
  let statusCode: number | null = null;
  let error: string | null = null;
  let latencyMs = 0;
  let approved = false;
  if (!payment.resultUrl) {
    error = 'the merchant asks for a pre-request but has no Result URL';
  } else {
    try {
      const res = await postOutbound(payment.resultUrl, {
        body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        timeoutMs: deps.config.prerequestTimeoutMs,
        allowPrivate: deps.config.allowPrivateCallbacks,
        dnsServers: deps.config.dnsServers,
      });
      statusCode = res.status;
      latencyMs = res.latencyMs;
      approved = res.status >= 200 && res.status < 300 && res.body.trim() === 'YES';
      if (!approved) error = `answered ${res.status} without YES`;
    } catch (err) {
      error = (err as Error).message.slice(0, 300);
    }
  }
  await notifications.recordAttempt(
    deps.db,
    { notificationId: id, attemptedAt: at, statusCode, latencyMs, error },
    { status: approved ? 'delivered' : 'dead', nextAttemptAt: null, deliveredAt: approved ? deps.clock.now() : null },
  );
  deps.log.info({ payment: payment.id, approved, httpStatus: statusCode, error }, 'pre-request');
  return approved;
}
