import type { Deps } from './deps.js';
import * as counters from '../store/rate-counters.js';
import { liftPhoneLimits, listPhonesWithWrongTries } from '../store/codes.js';
import { counterKey } from '../domain/limits.js';
import { DAY_MS, HOUR_MS } from '../domain/time.js';
import type { Mode } from '../domain/ledger.js';
import type { Phone } from '../domain/phone.js';
import { limitOf } from './rate-limit.js';

/**
 * What the operator sees (spec §14): phones whose wrong codes today reached a client's share (or the
 * phone's cap), and number ranges whose SMS this hour reached their limit.
 */
export async function listLimited(deps: Pick<Deps, 'db' | 'clock' | 'config'>) {
  const now = deps.clock.now();
  const share = deps.config.limits.wrongTriesPerPhonePerClientPerDay;
  const range = limitOf(deps.config, 'range_sms');
  const [phones, ranges] = await Promise.all([
    listPhonesWithWrongTries(deps.db, new Date(now.getTime() - DAY_MS), share),
    counters.listFull(deps.db, `${range.name}:`, range.max, new Date(now.getTime() - HOUR_MS)),
  ]);
  return {
    phones: phones.map((p) => ({ ...p, locked: p.wrongTries >= deps.config.codes.maxWrongTriesPerPhonePerDay })),
    ranges: ranges.map((r) => ({ range: r.key.slice(range.name.length + 1), sms: r.hits, windowStart: r.windowStart })),
  };
}

/** Lifts every limit of one phone: its sends and wrong codes until now no longer count, and its range's counter starts again. */
export async function liftPhone(deps: Pick<Deps, 'db' | 'clock' | 'config'>, phone: Phone, mode: Mode, by: string): Promise<void> {
  await liftPhoneLimits(deps.db, phone, mode, deps.clock.now(), by);
  await counters.clear(deps.db, [counterKey(limitOf(deps.config, 'range_sms'), phone.slice(0, -4))]);
}
