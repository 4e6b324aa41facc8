import type { Db } from '../../postgres/db.js';
import { callWriteOutbox } from '../../store/money-statements.js';
import type { NewNotification } from '../../store/notifications.js';
import type { NewSms } from '../../store/sms-messages.js';
import type { ReceiptRow } from '../../store/receipts.js';
import type { Notification } from '../../domain/notification.js';

/** One outbox row to write; `dedupeKey` makes it once per key; `sms` is written with it, only when the row itself is. */
export type PlannedMessage = { notification: NewNotification; dedupeKey?: string; sms?: NewSms };

/**
 * What a state change announces, shaped before it is written: planners are pure, so the one money statement of a confirm
 * (tp_confirm) can carry the rows and write them with the state they announce (docs/architecture.md#money-statements).
 */
export type OutboxPlan = { messages: PlannedMessage[]; receipt?: ReceiptRow };

export const EMPTY_PLAN: OutboxPlan = { messages: [] };

export function joinPlans(...plans: OutboxPlan[]): OutboxPlan {
  return { messages: plans.flatMap((p) => p.messages), receipt: plans.find((p) => p.receipt)?.receipt };
}

/** The plan as tp_write_outbox reads it (snake_case, dates as ISO strings, bigints as strings). */
export function planJson(plan: OutboxPlan) {
  return {
    messages: plan.messages.map(({ notification: n, dedupeKey, sms }) => ({
      id: n.id, merchant_id: n.merchantId, shop_id: n.shopId ?? null, payment_id: n.paymentId, kind: n.kind, event_type: n.eventType, url: n.url,
      content_type: n.contentType, body: n.body, next_attempt_at: n.nextAttemptAt.toISOString(), created_at: n.createdAt.toISOString(), dedupe_key: dedupeKey ?? null,
      sms: sms ? {
        id: sms.id, merchant_id: sms.merchantId, payment_id: sms.paymentId, code_id: sms.codeId === null ? null : String(sms.codeId), mode: sms.mode, kind: sms.kind,
        channel: sms.channel ?? 'sms', template: sms.template ?? null, fallback_of: sms.fallbackOf ?? null, phone: sms.phone, text_redacted: sms.textRedacted,
        lang: sms.lang, created_at: sms.createdAt.toISOString(),
      } : null,
    })),
    receipt: plan.receipt ? { payment_id: plan.receipt.paymentId, token_hash: plan.receipt.tokenHash, secret_id: plan.receipt.secretId, created_at: plan.receipt.createdAt.toISOString() } : null,
  };
}

/** The rows tp_write_outbox wrote (a dedupe key already taken writes none), as the deliverer takes them after commit. */
export function writtenOf(plan: OutboxPlan, ids: readonly string[]): Notification[] {
  const written = new Set(ids);
  return plan.messages.filter((m) => written.has(m.notification.id)).map(({ notification: n }) => ({
    id: n.id, merchantId: n.merchantId, shopId: n.shopId ?? null, paymentId: n.paymentId, kind: n.kind, eventType: n.eventType, url: n.url, contentType: n.contentType,
    body: n.body, status: 'pending', attempts: 0, nextAttemptAt: n.nextAttemptAt, lastStatus: null, lastError: null, createdAt: n.createdAt, deliveredAt: null,
  }));
}

/** Writes a plan in the caller's transaction, in one statement (migrations/20261208100100_confirm_statement.ts). */
export async function writeOutbox(trx: Db, plan: OutboxPlan): Promise<Notification[]> {
  if (!plan.messages.length && !plan.receipt) return [];
  return writtenOf(plan, await callWriteOutbox(trx, planJson(plan)));
}
