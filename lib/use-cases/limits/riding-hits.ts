import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import { counterKey, limitOf, windowStart, type LimitName } from '../../domain/limits.js';

/**
 * A hit that rides with a money statement (issue 37, docs/architecture.md#money-statements): the statement counts it and answers
 * `rate_limited` past `max`, in the same round trip. A request that never reaches its statement is counted on its way out.
 */
export type RidingHit = { name: LimitName; subject: string; key: string; windowStart: Date; max: number; counted: boolean };

export function ridingHit(deps: { clock: Clock; config: Pick<Config, 'limits'> }, name: LimitName, subject: string): RidingHit {
  const limit = limitOf(deps.config.limits, name);
  return { name, subject, key: counterKey(limit, subject), windowStart: windowStart(deps.clock.now(), limit.windowMs), max: limit.max, counted: false };
}

/** The hits as the statement reads them (tp_count_hits), in the order they are counted; from here on they are the statement's to count. */
export function rideWith(...hits: (RidingHit | undefined)[]): { name: LimitName; key: string; window_start: string; max: number }[] {
  return hits.filter((h): h is RidingHit => h !== undefined).map((hit) => {
    hit.counted = true;
    return { name: hit.name, key: hit.key, window_start: hit.windowStart.toISOString(), max: hit.max };
  });
}
