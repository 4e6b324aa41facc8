import type { Deps } from '../shared/deps.js';
import * as counters from '../../store/rate-counters.js';
import { liftClientLimits, liftPhoneLimits, listPhonesWithWrongTries } from '../../store/codes.js';
import { counterKey, limitOf, type LimitName } from '../../domain/limits.js';
import { DAY_MS, HOUR_MS } from '../../domain/time.js';
import type { Mode } from '../../domain/ledger.js';
import type { Phone } from '../../domain/phone.js';
import { clearTries } from '../../store/sign-in-tries.js';

/** The limits counted per client address (an IPv4 address or an IPv6 /64, docs/merchant-guide.md#abuse-limits). */
export const PER_ADDRESS: LimitName[] = ['form_payments', 'page_codes', 'page_wrong_codes', 'office_sign_in', 'voucher_wrong_address'];

/**
 * What the operator sees (docs/merchant-guide.md#abuse-limits): phones whose wrong codes today reached a client's share (or the
 * phone's cap), number ranges whose SMS this hour reached their limit, and addresses held back now.
 */
export async function listLimited(deps: Pick<Deps, 'db' | 'clock' | 'config'>) {
  const now = deps.clock.now();
  const share = deps.config.limits.wrongTriesPerPhonePerClientPerDay;
  const range = limitOf(deps.config.limits, 'range_sms');
  const [phones, ranges, ...addresses] = await Promise.all([
    listPhonesWithWrongTries(deps.db, new Date(now.getTime() - DAY_MS), share),
    counters.listFull(deps.db, `${range.name}:`, range.max, new Date(now.getTime() - HOUR_MS)),
    ...PER_ADDRESS.map((name) => limitOf(deps.config.limits, name)).map(async (l) =>
      (await counters.listFull(deps.db, `${l.name}:`, l.max, new Date(now.getTime() - l.windowMs))).map((c) => ({ address: c.key.slice(l.name.length + 1), limit: l.name, hits: c.hits, windowStart: c.windowStart }))),
  ]);
  return {
    phones: phones.map((p) => ({ ...p, locked: p.wrongTries >= deps.config.codes.maxWrongTriesPerPhonePerDay })),
    ranges: ranges.map((r) => ({ range: r.key.slice(range.name.length + 1), sms: r.hits, windowStart: r.windowStart })),
    addresses: addresses.flat(),
  };
}

/** Lifts every limit of one phone: its sends, refund SMS and wrong codes until now no longer count; its range's and its alert counters start again. */
export async function liftPhone(deps: Pick<Deps, 'db' | 'clock' | 'config'>, phone: Phone, mode: Mode, by: string): Promise<void> {
  await liftPhoneLimits(deps.db, phone, mode, deps.clock.now(), by);
  await counters.clear(deps.db, [
    counterKey(limitOf(deps.config.limits, 'range_sms'), phone.slice(0, -4)),
    counterKey(limitOf(deps.config.limits, 'alert_sms'), phone),
    counterKey(limitOf(deps.config.limits, 'alert_confirmations'), `phone:${phone}`),
    counterKey(limitOf(deps.config.limits, 'voucher_wrong_phone'), phone),
    counterKey(limitOf(deps.config.limits, 'phone_exports'), phone),
  ]);
}

/** Lifts every per-address limit of a client address (already keyed: IPv4, or IPv6 /64), its share of wrong codes per phone included. */
export async function liftAddress(deps: Pick<Deps, 'db' | 'clock' | 'config'>, address: string, by: string): Promise<void> {
  await counters.clear(deps.db, PER_ADDRESS.map((name) => counterKey(limitOf(deps.config.limits, name), address)));
  await liftClientLimits(deps.db, `ip:${address}`, deps.clock.now(), by);
}

/** Lifts the SMS-pumping guard of a number range (the phone without its last 4 digits). */
export async function liftRange(deps: Pick<Deps, 'db' | 'config'>, range: string): Promise<void> {
  await counters.clear(deps.db, [counterKey(limitOf(deps.config.limits, 'range_sms'), range)]);
}

/** Lifts an API key's requests a second and its share of wrong codes per phone. */
export async function liftApiKey(deps: Pick<Deps, 'db' | 'clock' | 'config'>, keyId: string, by: string): Promise<void> {
  await counters.clear(deps.db, [counterKey(limitOf(deps.config.limits, 'api_key'), keyId)]);
  await liftClientLimits(deps.db, `key:${keyId}`, deps.clock.now(), by);
}

/** Lifts the back-office sign-in lock of an e-mail (docs/merchant-guide.md#back-office): its failed tries so far no longer count. */
export async function liftEmail(deps: Pick<Deps, 'db'>, email: string): Promise<void> {
  await clearTries(deps.db, email);
}
