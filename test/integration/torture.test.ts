import assert from 'node:assert/strict';
import { torture } from '../torture/run.js';

/**
 * Issue #21, the short version of `npm run torture`: real service processes killed with SIGKILL,
 * PostgreSQL stopped the immediate way under load, and model-based command sequences; the full run
 * (1,000 payments, 20 kills, 5 database restarts, 200 sequences) is in bench/results/torture-latest.json.
 */
describe('torture (short): kills, database faults and random sequences against a model', function () {
  this.timeout(300_000);

  it('loses and doubles nothing: every invariant holds', async () => {
    const lines: string[] = [];
    const summary = await torture({ payments: 100, clients: 8, crashes: 3, dbRestarts: 2, sequences: 50, seed: Number(process.env.TORTURE_SEED ?? Date.now() % 100_000) }, (l) => lines.push(l));
    assert.equal(summary.violations, 0, lines.join('\n'));
    assert.ok(summary.crashes >= 3 && summary.db_restarts >= 2 && summary.sequences >= 50, lines.join('\n'));
    assert.ok(summary.invariants_checked > 500, `${summary.invariants_checked} invariants checked`);
    // docs/operator-guide.md#vouchers-and-cash-in: buyers redeemed vouchers at /me under the faults, and the audit checked each
    assert.ok(summary.vouchers_redeemed > 0, lines.join('\n'));
  });
});
