import type { Clock } from '../../lib/clock.js';

/** A clock that moves only when the test says so. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start = '2026-11-23T12:00:00.000Z') {
    this.current = Date.parse(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }
}
