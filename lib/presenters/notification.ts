import type { DeliveryAttempt, Notification } from '../domain/notification.js';

/** A notification and its delivery attempts, as the merchant lists them. The body is shown as sent (it holds no secret). */
export function notificationJson(n: Notification, attempts: DeliveryAttempt[]) {
  return {
    id: n.id,
    object: 'notification' as const,
    kind: n.kind,
    event_type: n.eventType,
    payment_id: n.paymentId,
    url: n.url,
    status: n.status,
    // the latest attempts only; every one is at GET /notifications/{id}/attempts
    attempts: attempts.map(attemptJson),
    attempt_count: n.attempts,
    next_attempt_at: n.status === 'pending' ? n.nextAttemptAt?.toISOString() ?? null : null,
    created_at: n.createdAt.toISOString(),
    delivered_at: n.deliveredAt?.toISOString() ?? null,
    content_type: n.contentType,
    body: n.kind === 'sms' ? null : n.body,
  };
}

export function attemptJson(a: DeliveryAttempt) {
  return { at: a.attemptedAt.toISOString(), http_status: a.statusCode, latency_ms: a.latencyMs, error: a.error };
}
