import { e164 } from '../domain/phone.js';
import type { AlertLogEntry } from '../domain/alerts.js';

/** One line of a shop's alert log; the phones are the merchant's own recipients. */
export function alertLogJson(e: AlertLogEntry) {
  return {
    id: e.id,
    object: 'alert_log_entry' as const,
    at: e.at.toISOString(),
    what: e.what,
    kind: e.kind,
    to: e.kind === 'phone' ? e164(e.address) : e.address,
    event_type: e.eventType,
    reason: e.reason,
    notification_id: e.notificationId,
  };
}
