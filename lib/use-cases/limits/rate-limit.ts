import type { Deps } from '../shared/deps.js';
import * as counters from '../../store/rate-counters.js';
import { AppError } from '../../domain/errors.js';
import { counterKey, limitOf, windowEnd, windowStart, type LimitName } from '../../domain/limits.js';
import { secondsUntil } from '../../domain/time.js';
import type { RidingHit } from './riding-hits.js';

/** Refusals are counted per limit for /metrics (wired in app.ts). */
type LimitDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'observer'>;

export function rateLimited(deps: Pick<Deps, 'observer'>, limit: string, detail: string, retryAfter: number): AppError {
  deps.observer?.rateLimited(limit);
  return new AppError('rate_limited', detail, { retry_after: retryAfter, limit }, { 'Retry-After': String(retryAfter) });
}

/**
 * One more hit of a limit (docs/merchant-guide.md#abuse-limits), refused with 429 `rate_limited` past its maximum. Its own short
 * statement, outside the caller's transaction: a busy counter row is never held while a payment is written.
 */
export async function consume(deps: LimitDeps, name: LimitName, subject: string): Promise<void> {
  const limit = limitOf(deps.config.limits, name);
  const now = deps.clock.now();
  const start = windowStart(now, limit.windowMs);
  const hits = await counters.hit(deps.db, counterKey(limit, subject), start);
  if (hits > limit.max) throw rateLimited(deps, name, refusalText(name), secondsUntil(windowEnd(start, limit.windowMs), now));
}

/**
 * One more hit of `first`, then of `second` if `first` allows it: as `consume` twice, in one
 * statement. A hit `first` refuses never reaches `second` (a flood of one number range must not
 * spend the whole service's SMS budget).
 */
export async function consumeBoth(deps: LimitDeps, first: [LimitName, string], second: [LimitName, string]): Promise<void> {
  const now = deps.clock.now();
  const [a, b] = [limitOf(deps.config.limits, first[0]), limitOf(deps.config.limits, second[0])];
  const [aStart, bStart] = [windowStart(now, a.windowMs), windowStart(now, b.windowMs)];
  const hits = await counters.hitBoth(deps.db, { key: counterKey(a, first[1]), windowStart: aStart, max: a.max }, { key: counterKey(b, second[1]), windowStart: bStart });
  if (hits.first > a.max) throw rateLimited(deps, a.name, refusalText(a.name), secondsUntil(windowEnd(aStart, a.windowMs), now));
  if (hits.second !== null && hits.second > b.max) throw rateLimited(deps, b.name, refusalText(b.name), secondsUntil(windowEnd(bStart, b.windowMs), now));
}

/** A riding hit whose request takes another way than its statement: counted and checked now, as `consume` does. */
export async function consumeRiding(deps: LimitDeps, hit: RidingHit | undefined): Promise<void> {
  if (!hit || hit.counted) return;
  hit.counted = true;
  await consume(deps, hit.name, hit.subject);
}

/** The 429 a statement answered for a riding hit past its maximum. */
export function ridingRefusal(deps: LimitDeps, hit: RidingHit): AppError {
  const limit = limitOf(deps.config.limits, hit.name);
  return rateLimited(deps, hit.name, refusalText(hit.name), secondsUntil(windowEnd(hit.windowStart, limit.windowMs), deps.clock.now()));
}

/** Refused already, without counting (for limits counted only on failure, such as wrong codes). */
export async function assertUnder(deps: LimitDeps, name: LimitName, subject: string): Promise<void> {
  const limit = limitOf(deps.config.limits, name);
  const now = deps.clock.now();
  const start = windowStart(now, limit.windowMs);
  if ((await counters.peek(deps.db, counterKey(limit, subject), start)) >= limit.max) {
    throw rateLimited(deps, name, refusalText(name), secondsUntil(windowEnd(start, limit.windowMs), now));
  }
}

/** Gives back a hit taken by `consume` for a try that turned out right (limits counted on failure, taken before the check). */
export async function giveBack(deps: LimitDeps, name: LimitName, subject: string, at: Date): Promise<void> {
  const limit = limitOf(deps.config.limits, name);
  await counters.unhit(deps.db, counterKey(limit, subject), windowStart(at, limit.windowMs));
}

export async function count(deps: LimitDeps, name: LimitName, subject: string): Promise<void> {
  const limit = limitOf(deps.config.limits, name);
  await counters.hit(deps.db, counterKey(limit, subject), windowStart(deps.clock.now(), limit.windowMs));
}

function refusalText(name: LimitName): string {
  switch (name) {
    case 'form_payments': return 'Too many new payments from this address; wait a minute';
    case 'page_codes': return 'Too many codes were asked for from this address; wait before asking again';
    case 'page_wrong_codes': return 'Too many wrong codes from this address; wait before trying again';
    case 'range_sms': return 'Too many messages to numbers like this one; try again later';
    case 'sms_budget': return 'The service is sending too many messages right now; try again in a minute';
    case 'api_key': return 'Too many requests with this API key; slow down';
    case 'office_sign_in': return 'Too many failed sign-ins from this address; wait a quarter of an hour';
    case 'alert_sms': return 'Too many alerts to this phone; wait before the next';
    case 'alert_confirmations': return 'Too many confirmation messages to this recipient today';
    case 'voucher_wrong_phone': return 'Too many wrong voucher codes for this phone today; try again tomorrow';
    case 'voucher_wrong_address': return 'Too many wrong voucher codes from this address; wait before trying again';
    case 'phone_exports': return 'Too many downloads of this phone\'s data; wait an hour';
  }
}
