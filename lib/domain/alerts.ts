import type { Phone } from './phone.js';
import type { ShopId } from './ids.js';

/** docs/merchant-guide.md#alerts: the events a shop can be alerted of. */
export const ALERT_EVENTS = ['payment.succeeded', 'payment.failed', 'refund.succeeded', 'payout.paid', 'payout.failed', 'notification.dead'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export type AlertSettings = { emails: string[]; phones: Phone[]; events: AlertEvent[] };

export const NO_ALERTS: AlertSettings = { emails: [], phones: [], events: [] };

export function isAlertEvent(type: string): type is AlertEvent {
  return (ALERT_EVENTS as readonly string[]).includes(type);
}

/**
 * What an alert says, taken from the event's JSON object (a payment, refund, payout or notification):
 * amounts and ids only. The buyer's phone is cut to its last 2 digits here, before any text exists.
 */
export type AlertFacts = {
  amount: string | null;
  currency: string | null;
  paymentId: string | null;
  orderNo: string | null;
  phoneTail: string | null;
  payoutId: string | null;
};

export function alertFacts(event: AlertEvent, data: Record<string, unknown>): AlertFacts {
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : null);
  const phone = text(data.phone);
  const isPayout = event.startsWith('payout.');
  const paymentId = isPayout ? null : event.startsWith('payment.') ? text(data.id) : text(data.payment_id);
  return {
    amount: text(data.amount),
    currency: text(data.currency),
    paymentId,
    orderNo: text(data.payment_no),
    phoneTail: phone ? `••${phone.replace(/\D/g, '').slice(-2)}` : null,
    payoutId: isPayout ? text(data.id) : null,
  };
}

/** Once per event and recipient: the outbox refuses a second row with the same key. */
export function alertDedupeKey(event: AlertEvent, subjectId: string, channel: 'mail' | 'sms', recipient: string): string {
  return `alert:${event}:${subjectId}:${channel}:${recipient.toLowerCase()}`;
}

/** docs/merchant-guide.md#alerts: a recipient is an e-mail address or a phone, pending until it clicks its confirmation link. */
export type RecipientKind = 'email' | 'phone';
export type RecipientState = 'pending' | 'confirmed';

/** A confirmation link lives 72 hours. */
export const CONFIRMATION_TTL_MS = 72 * 3_600_000;

export function recipientKey(kind: RecipientKind, address: string): string {
  return `${kind}:${address}`;
}

/** Every recipient of the settings, e-mails first, in the order the merchant gave them. */
export function recipientsOf(alerts: AlertSettings): { kind: RecipientKind; address: string }[] {
  return [...alerts.emails.map((address) => ({ kind: 'email' as const, address })), ...alerts.phones.map((address) => ({ kind: 'phone' as const, address }))];
}

/** Each recipient with its state, for the shop object. */
export function recipientStates(alerts: AlertSettings, confirmed: readonly string[]): { kind: RecipientKind; address: string; state: RecipientState }[] {
  const done = new Set(confirmed);
  return recipientsOf(alerts).map((r) => ({ ...r, state: done.has(recipientKey(r.kind, r.address)) ? 'confirmed' : 'pending' }));
}

export type AlertLogWhat = 'confirmation_sent' | 'confirmation_refused' | 'confirmation_failed' | 'confirmed' | 'alert_dropped';

/** A line of the alert log of a shop (lib/store/alert-log.ts). */
export type AlertLogEntry = {
  id: string;
  shopId: ShopId;
  at: Date;
  what: AlertLogWhat;
  kind: RecipientKind;
  address: string;
  eventType: string | null;
  reason: string | null;
  notificationId: string | null;
};

/** An alert recipient of a shop. */
export type Recipient = { kind: RecipientKind; address: string };

export type PendingConfirmation = Recipient & { shopId: ShopId; expiresAt: Date };
