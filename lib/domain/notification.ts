import type { MerchantId, NotificationId, PaymentId, ShopId } from './ids.js';

export type NotificationKind = 'result' | 'prerequest' | 'webhook' | 'sms' | 'mail';

export type NotificationStatus = 'pending' | 'delivered' | 'dead';

/** An outbox row (lib/store/notifications.ts): a Result, webhook, SMS or mail to deliver. */
export type Notification = {
  id: NotificationId;
  merchantId: MerchantId;
  /** The shop whose webhook secret signs it (null for rows written before shops). */
  shopId: ShopId | null;
  paymentId: PaymentId | null;
  kind: NotificationKind;
  eventType: string | null;
  url: string | null;
  contentType: string;
  body: string;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
};

/** One delivery attempt of a notification. */
export type DeliveryAttempt = { id: bigint; notificationId: NotificationId; attemptedAt: Date; statusCode: number | null; latencyMs: number; error: string | null };

export type AttemptRow = { notificationId: string; attemptedAt: Date; statusCode: number | null; latencyMs: number; error: string | null };
export type AttemptOutcome = { status: NotificationStatus; nextAttemptAt: Date | null; deliveredAt: Date | null };
/** An attempt and the notification's state after it, as one record (an SMS's outcome carries it into its own statement). */
export type AttemptRecord = { row: AttemptRow; outcome: AttemptOutcome };
