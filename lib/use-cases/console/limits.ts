import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import * as counters from '../../store/rate-counters.js';
import { liftAddress, liftPhone, liftRange, listLimited, PER_ADDRESS } from '../limits/manage-limits.js';
import { consoleNote, type ConsoleActor } from './actor.js';
import { counterKey, limitOf, numberRange, windowEnd, windowStart, type LimitName } from '../../domain/limits.js';
import type { Phone } from '../../domain/phone.js';
import type { Mode } from '../../domain/ledger.js';

/** What the console looks a limit up by (docs/operator-guide.md#operator-console): a phone, a number range or a client address. */
export type LimitSubject = { kind: 'phone'; phone: Phone; mode: Mode } | { kind: 'range'; range: string } | { kind: 'address'; address: string };

export type CounterState = { limit: LimitName; hits: number; max: number; resetsAt: Date };

const COUNTERS_OF: Record<LimitSubject['kind'], (s: never) => [LimitName, string][]> = {
  phone: (s: { phone: Phone }) => [['range_sms', numberRange(s.phone)], ['alert_sms', s.phone], ['alert_confirmations', `phone:${s.phone}`], ['voucher_wrong_phone', s.phone], ['phone_exports', s.phone]],
  range: (s: { range: string }) => [['range_sms', s.range]],
  address: (s: { address: string }) => PER_ADDRESS.map((name) => [name, s.address]),
};

/** The counters of one subject in their current windows, and (for a phone) its wrong codes today when they reached a client's share. */
export async function limitState(deps: Pick<Deps, 'db' | 'clock' | 'config'>, subject: LimitSubject) {
  const now = deps.clock.now();
  const pairs = COUNTERS_OF[subject.kind](subject as never);
  const states: CounterState[] = await Promise.all(pairs.map(async ([name, key]) => {
    const limit = limitOf(deps.config.limits, name);
    const start = windowStart(now, limit.windowMs);
    return { limit: name, hits: await counters.peek(deps.db, counterKey(limit, key), start), max: limit.max, resetsAt: new Date(windowEnd(start, limit.windowMs)) };
  }));
  const limited = subject.kind === 'phone' ? (await listLimited(deps)).phones.filter((p) => p.phone === subject.phone && p.mode === subject.mode) : [];
  return { counters: states, wrongCodes: limited[0] ? { count: limited[0].wrongTries, locked: limited[0].locked } : null };
}

/** Lifts the subject's limits, audited with the operator; the lift and the form's token commit together. */
export async function consoleLift(deps: Pick<Deps, 'db' | 'clock' | 'config'>, actor: ConsoleActor, subject: LimitSubject): Promise<void> {
  const target = subject.kind === 'phone' ? `+${subject.phone}` : subject.kind === 'range' ? `+${subject.range}` : subject.address;
  const note = consoleNote<void>(deps, actor, `limits.lift_${subject.kind}`, { target }, () => (subject.kind === 'phone' ? { mode: subject.mode } : {}));
  await inTransaction(deps.db, async (trx) => {
    const within = { ...deps, db: trx };
    if (subject.kind === 'phone') await liftPhone(within, subject.phone, subject.mode, `console:${actor.email}`);
    else if (subject.kind === 'range') await liftRange(within, subject.range);
    else await liftAddress(within, subject.address, `console:${actor.email}`);
    await note(trx, undefined);
  });
}
