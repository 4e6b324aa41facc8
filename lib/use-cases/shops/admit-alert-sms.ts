import type { Deps } from '../shared/deps.js';
import { consume, consumeBoth } from '../limits/rate-limit.js';
import { isAppError } from '../../domain/errors.js';
import { numberRange } from '../../domain/limits.js';
import { phoneCountry } from '../../domain/phone.js';
import { markSmsFailed } from '../../store/sms-messages.js';
import { insertAlertLog } from '../../store/alert-log.js';
import type { ShopId } from '../../domain/ids.js';

type LimitDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'observer'>;

/**
 * docs/merchant-guide.md#alerts and docs/merchant-guide.md#abuse-limits: an alert or confirmation SMS goes out only to a country of SMS_COUNTRIES and
 * within the per-phone, per-range and whole-service limits. Null: send it; else why not (a short
 * stable reason). Counted outside any transaction, before the gateway is asked.
 */
export async function admitAlertSms(deps: LimitDeps, phone: string): Promise<string | null> {
  const countries = deps.config.limits.smsCountries;
  const country = phoneCountry(phone);
  if (countries && (!country || !countries.includes(country))) return 'country_not_allowed';
  try {
    await consume(deps, 'alert_sms', phone);
    await consumeBoth(deps, ['range_sms', numberRange(phone)], ['sms_budget', 'all']);
    return null;
  } catch (err) {
    if (isAppError(err) && err.code === 'rate_limited') return `rate_limited:${String(err.extra.limit)}`;
    throw err;
  }
}

/**
 * The outbox's question before an alert SMS goes out: a refused one is dropped for good (its
 * notification dies, it is never retried past the limit) with its reason in the shop's alert log.
 */
export async function gateAlertSms(
  deps: LimitDeps, alert: { notificationId: string; shopId: ShopId | null; eventType: string | null }, sms: { id: string; phone: string },
): Promise<string | null> {
  const refused = await admitAlertSms(deps, sms.phone);
  if (!refused) return null;
  const at = deps.clock.now();
  await markSmsFailed(deps.db, sms.id, `dropped: ${refused}`, at);
  if (alert.shopId) {
    await insertAlertLog(deps.db, {
      shopId: alert.shopId, at, what: 'alert_dropped', kind: 'phone', address: sms.phone, eventType: alert.eventType, reason: refused, notificationId: alert.notificationId,
    });
  }
  return refused;
}
