/** Durations and deadlines: one home, so "now + ttl" is written once. */
export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export function secondsAfter(at: Date, seconds: number): Date {
  return new Date(at.getTime() + seconds * SECOND_MS);
}

/** Whole seconds from `now` until `until`, at least 1 (for Retry-After). */
export function secondsUntil(until: number, now: Date): number {
  return Math.max(1, Math.ceil((until - now.getTime()) / SECOND_MS));
}
