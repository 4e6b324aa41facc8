import type { Payment } from '../domain/payment.js';
import type { Payout } from '../domain/payout.js';
import type { Refund } from '../domain/refund.js';
import { paymentJson } from '../presenters/payment.js';
import { payoutJson } from '../presenters/payout.js';
import { refundJson } from '../presenters/refund.js';

// the `data` of a webhook and the facts of its alerts are the public JSON objects of the API (docs/merchant-guide.md#the-json-api)
export const paymentEventData = (p: Payment, publicUrl: string): Record<string, unknown> => paymentJson(p, publicUrl);
export const refundEventData = (r: Refund): Record<string, unknown> => refundJson(r);
export const payoutEventData = (p: Payout): Record<string, unknown> => payoutJson(p);

/** The `data` of notification.dead: the notification that gave up. */
export function deadNotificationData(n: { id: string; kind: string; eventType: string | null; paymentId: string | null; attempts: number }): Record<string, unknown> {
  return { id: n.id, object: 'notification', kind: n.kind, event_type: n.eventType, payment_id: n.paymentId, attempts: n.attempts + 1 };
}
