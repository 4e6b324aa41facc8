/** The one source of time: use-cases and jobs take it, tests inject a manual one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
