import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PERCENT, feeOf, feeReturnOf, formatPercent, parsePercent } from '../../lib/domain/fee.js';

describe('fees (docs/merchant-guide.md#fees, pure, no database)', () => {
  const pct = (p: string, fixed = 0n) => ({ percentBp: parsePercent(p)!, fixed });

  it('rounds half up on the minor unit at edge amounts', () => {
    assert.equal(feeOf(1n, pct('3')), 0n, '0.01 × 3 % = 0.0003 → 0.00');
    assert.equal(feeOf(5n, pct('10')), 1n, '0.05 × 10 % = 0.005 → 0.01 (half up)');
    assert.equal(feeOf(17n, pct('3')), 1n, '0.17 × 3 % = 0.0051 → 0.01');
    assert.equal(feeOf(50n, pct('1')), 1n, '0.50 × 1 % = 0.005 → 0.01');
    assert.equal(feeOf(49n, pct('1')), 0n, '0.49 × 1 % = 0.0049 → 0.00');
    assert.equal(feeOf(99999999999999n, pct('3')), 3000000000000n, '999999999999.99 × 3 % = 29999999999.9997 → 30000000000.00');
    assert.equal(feeOf(1000n, pct('2.5')), 25n);
  });

  it('is nothing at 0 %, everything at 100 %, and never more than the amount with a fixed part', () => {
    assert.equal(feeOf(1234n, pct('0')), 0n);
    assert.equal(feeOf(1234n, pct('100')), 1234n);
    assert.equal(feeOf(20n, pct('3', 30n)), 20n, '0.30 fixed on 0.20 is capped at 0.20');
    assert.equal(feeOf(1000n, pct('3', 30n)), 60n);
  });

  it('returns the refund\'s share of the fee under "return", the rest on the last refund, nothing under "keep"', () => {
    const paid = { fee: 30n, feeReturned: 0n, amountCaptured: 1000n, amountRefunded: 0n, feeRefund: 'return' as const };
    assert.equal(feeReturnOf(paid, 500n), 15n);
    assert.equal(feeReturnOf(paid, 333n), 10n, '30 × 333 / 1000 = 9.99 → 10');
    assert.equal(feeReturnOf({ ...paid, feeReturned: 10n, amountRefunded: 333n }, 667n), 20n, 'the last refund returns what is left');
    assert.equal(feeReturnOf({ ...paid, feeRefund: 'keep' }, 500n), 0n);
    assert.equal(feeReturnOf({ ...paid, feeRefund: null }, 500n), 0n);
    // over any split of refunds, the fee returned is exactly the fee charged
    let state = { ...paid };
    for (const part of [1n, 199n, 300n, 250n, 250n]) {
      const back = feeReturnOf(state, part);
      state = { ...state, feeReturned: state.feeReturned + back, amountRefunded: state.amountRefunded + part };
    }
    assert.equal(state.feeReturned, 30n);
  });

  it('reads percents of 0 to 100 with up to two decimals', () => {
    assert.deepEqual(['3', '3.00', '2.5', '100', '0', '0.01'].map(parsePercent), [300, 300, 250, 10000, 0, 1]);
    assert.deepEqual(['101', '-1', '3.001', '1e2', '', ' 3'].map(parsePercent), [undefined, undefined, undefined, undefined, undefined, undefined]);
    assert.equal(formatPercent(250), '2.50');
  });

  it('returns the fee over all refunds so far: any split of a refunded sum returns what one refund of it would', () => {
    fc.assert(fc.property(
      fc.bigInt({ min: 1n, max: 10_000_000n }), fc.integer({ min: 0, max: 10_000 }), fc.array(fc.bigInt({ min: 1n, max: 100_000n }), { minLength: 1, maxLength: 40 }),
      (captured, bp, parts) => {
        const fee = feeOf(captured, { percentBp: bp, fixed: 0n });
        let state = { fee, feeReturned: 0n, amountCaptured: captured, amountRefunded: 0n, feeRefund: 'return' as const };
        for (const part of parts) {
          const refund = part > captured - state.amountRefunded ? captured - state.amountRefunded : part;
          if (refund <= 0n) break;
          const back = feeReturnOf(state, refund);
          assert.ok(back >= 0n);
          state = { ...state, feeReturned: state.feeReturned + back, amountRefunded: state.amountRefunded + refund };
          const once = feeReturnOf({ ...state, feeReturned: 0n, amountRefunded: 0n }, state.amountRefunded);
          assert.equal(state.feeReturned, once, `after ${state.amountRefunded} of ${captured} refunded`);
        }
      }));
  });

  it('writes a percent one way: 0 to 100, at most two decimals, no leading zeros (the pattern the documents show)', () => {
    for (const ok of ['0', '3', '3.5', '3.00', '10', '99.99', '100', '100.00']) assert.ok(PERCENT.test(ok) && parsePercent(ok) !== undefined, ok);
    for (const bad of ['007.5', '03', '100.01', '101', '-1', '3.001', '3.', '.5', 'three', '']) assert.equal(parsePercent(bad), undefined, bad);
  });
});
