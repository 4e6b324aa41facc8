import { secondsAfter } from './time.js';

/**
 * After the `attempts`-th failed delivery: when to try again, or undefined when the schedule is
 * used up and the notification is dead. `schedule[i]` is the wait in seconds after attempt i + 1.
 */
export function nextAttemptAt(schedule: readonly number[], attempts: number, now: Date): Date | undefined {
  const waitSeconds = schedule[attempts - 1];
  return waitSeconds === undefined ? undefined : secondsAfter(now, waitSeconds);
}

