import type { Phone } from './phone.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './time.js';

/** A limit of docs/merchant-guide.md#abuse-limits: at most `max` hits per subject in a fixed window of `windowMs`. */
export type RateLimit = { name: LimitName; max: number; windowMs: number };

export type LimitName = 'form_payments' | 'page_codes' | 'page_wrong_codes' | 'range_sms' | 'sms_budget' | 'api_key' | 'office_sign_in' | 'alert_sms' | 'alert_confirmations' | 'voucher_wrong_phone' | 'voucher_wrong_address' | 'phone_exports';

export function windowStart(now: Date, windowMs: number): Date {
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/** When the window that began at `start` is over: a refused hit may retry then. */
export function windowEnd(start: Date, windowMs: number): number {
  return start.getTime() + windowMs;
}

/** docs/merchant-guide.md#back-office: five failed sign-ins of one e-mail within 15 minutes lock it for 15 minutes from the fifth (kept in lib/store/sign-in-tries.ts). */
export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_WINDOW_MS = 15 * MINUTE_MS;
export const LOGIN_LOCK_MS = 15 * MINUTE_MS;

/** The settings of config.limits each limit reads (docs/merchant-guide.md#abuse-limits). */
export type LimitSettings = {
  formPaymentsPerClientPerMinute: number; codesPerClientPerHour: number; wrongCodesPerClientPerHour: number; rangeSmsPerHour: number;
  smsBudgetPerMinute: number; apiRatePerSecond: number; signInFailuresPerClient: number; alertSmsPerPhonePerHour: number; alertConfirmationsPerDay: number;
  voucherWrongCodesPerPhonePerDay: number; voucherWrongCodesPerClientPerHour: number; exportsPerPhonePerHour: number;
};

/** Every limit of docs/merchant-guide.md#abuse-limits with its window: the one table. */
export function limitOf(settings: LimitSettings, name: LimitName): RateLimit {
  const l = settings;
  switch (name) {
    case 'form_payments': return { name, max: l.formPaymentsPerClientPerMinute, windowMs: MINUTE_MS };
    case 'page_codes': return { name, max: l.codesPerClientPerHour, windowMs: HOUR_MS };
    case 'page_wrong_codes': return { name, max: l.wrongCodesPerClientPerHour, windowMs: HOUR_MS };
    case 'range_sms': return { name, max: l.rangeSmsPerHour, windowMs: HOUR_MS };
    case 'sms_budget': return { name, max: l.smsBudgetPerMinute, windowMs: MINUTE_MS };
    case 'api_key': return { name, max: l.apiRatePerSecond, windowMs: SECOND_MS };
    // failed sign-ins per address share the window of the per-e-mail lock
    case 'office_sign_in': return { name, max: l.signInFailuresPerClient, windowMs: LOGIN_WINDOW_MS };
    case 'alert_sms': return { name, max: l.alertSmsPerPhonePerHour, windowMs: HOUR_MS };
    case 'alert_confirmations': return { name, max: l.alertConfirmationsPerDay, windowMs: DAY_MS };
    // docs/operator-guide.md#vouchers-and-cash-in: wrong voucher codes, counted before the code is looked up
    case 'voucher_wrong_phone': return { name, max: l.voucherWrongCodesPerPhonePerDay, windowMs: DAY_MS };
    case 'voucher_wrong_address': return { name, max: l.voucherWrongCodesPerClientPerHour, windowMs: HOUR_MS };
    // docs/buyer-guide.md: a buyer's own export reads the whole payments table, so it is not free to repeat
    case 'phone_exports': return { name, max: l.exportsPerPhonePerHour, windowMs: HOUR_MS };
  }
}

/** The SMS-pumping guard counts per number range: the phone without its last 4 digits. */
export function numberRange(phone: Phone | string): string {
  return phone.slice(0, -4);
}

export function counterKey(limit: RateLimit, subject: string): string {
  return `${limit.name}:${subject}`;
}
