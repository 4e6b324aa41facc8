import assert from 'node:assert/strict';
import { codesEqual } from '../../lib/domain/code.js';

/**
 * Spec §14: refusing a wrong code takes the same time however many of its digits were right
 * (the comparison is timingSafeEqual over equal lengths). Measured over 10,000 tries each, interleaved;
 * the difference of means is reported with its 99.9 % confidence interval.
 */
describe('wrong-code timing', () => {
  it('does not depend on how many leading digits were right', () => {
    const right = '4821';
    const none = '0000';
    const three = '4820';
    const samples: Record<'none' | 'three', number[]> = { none: [], three: [] };
    const time = (typed: string) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 20; i++) codesEqual(right, typed);
      return Number(process.hrtime.bigint() - start) / 20;
    };
    for (let i = 0; i < 2000; i++) time(i % 2 ? none : three); // warm-up
    for (let i = 0; i < 10_000; i++) {
      samples.none.push(time(none));
      samples.three.push(time(three));
    }
    const stats = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b).slice(0, Math.floor(xs.length * 0.99)); // the slowest 1 % are the scheduler, not the comparison
      const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
      const variance = sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / (sorted.length - 1);
      return { mean, variance, n: sorted.length };
    };
    const a = stats(samples.none);
    const b = stats(samples.three);
    const diff = b.mean - a.mean;
    const half = 3.29 * Math.sqrt(a.variance / a.n + b.variance / b.n);
    console.log(`      wrong code, 0 vs 3 right digits: ${a.mean.toFixed(1)} ns vs ${b.mean.toFixed(1)} ns; difference ${diff.toFixed(1)} ns, 99.9 % CI [${(diff - half).toFixed(1)}, ${(diff + half).toFixed(1)}] ns`);
    // no leak a network could carry: the interval holds 0, or the difference is below a tenth of a microsecond
    assert.ok((diff - half <= 0 && diff + half >= 0) || Math.abs(diff) < 100, `difference ${diff.toFixed(1)} ns`);
  });
});
