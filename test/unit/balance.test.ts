import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  choosePayoutTransactions, payoutPeriod, nextPeriodStart, summarizeBalance,
} from '../../lib/domain/balance.js';

describe('balance transactions and payouts (docs/merchant-guide.md#balance-payouts-and-statements, pure)', () => {
  it('a payout takes every available transaction when the wallet can spare their sum', () => {
    const candidates = [{ id: 'a', net: 970n }, { id: 'b', net: -200n }, { id: 'c', net: 6n }];
    assert.deepEqual(choosePayoutTransactions(candidates, 776n), { chosen: ['a', 'b', 'c'], amount: 776n });
  });

  it('when the wallet cannot spare it all, takes every debit and the oldest credits that fit', () => {
    const candidates = [{ id: 'a', net: 500n }, { id: 'b', net: -100n }, { id: 'c', net: 300n }, { id: 'd', net: 50n }];
    assert.deepEqual(choosePayoutTransactions(candidates, 450n), { chosen: ['b', 'a'], amount: 400n });
  });

  it('property: the amount is the sum of what is chosen, never above what the wallet spares, every debit included', () => {
    fc.assert(fc.property(
      fc.array(fc.bigInt({ min: -10_000n, max: 10_000n }), { maxLength: 30 }),
      fc.bigInt({ min: 0n, max: 100_000n }),
      (nets, spare) => {
        const candidates = nets.map((net, i) => ({ id: i, net }));
        const { chosen, amount } = choosePayoutTransactions(candidates, spare);
        assert.equal(new Set(chosen).size, chosen.length, 'no transaction twice');
        assert.equal(chosen.reduce((sum, i) => sum + nets[i]!, 0n), amount);
        assert.ok(amount <= spare || amount <= 0n);
        for (const [i, net] of nets.entries()) if (net < 0n) assert.ok(chosen.includes(i));
      },
    ));
  });

  it('names the period of a scheduled run in UTC: the day, the week from Monday, the month', () => {
    const sunday = new Date('2026-12-06T23:59:59Z');
    assert.equal(payoutPeriod('daily', sunday), 'daily:2026-12-06');
    assert.equal(payoutPeriod('weekly', sunday), 'weekly:2026-11-30');
    assert.equal(payoutPeriod('weekly', new Date('2026-11-30T00:00:00Z')), 'weekly:2026-11-30');
    assert.equal(payoutPeriod('weekly', new Date('2026-11-29T23:59:59Z')), 'weekly:2026-11-23');
    assert.equal(payoutPeriod('monthly', new Date('2026-12-31T23:00:00Z')), 'monthly:2026-12');
    assert.equal(payoutPeriod('weekly', new Date('2027-01-01T08:00:00Z')), 'weekly:2026-12-28', 'a week across the new year');
  });

  it('shows payable as the available unsettled money, bounded by balance − held and never negative', () => {
    assert.equal(summarizeBalance({ balance: 1000n, held: 0n }, { available: 700n, pending: 300n }).payable, 700n);
    assert.equal(summarizeBalance({ balance: 1000n, held: 500n }, { available: 700n, pending: 300n }).payable, 500n);
    assert.equal(summarizeBalance({ balance: 100n, held: 0n }, { available: -200n, pending: 300n }).payable, 0n);
  });

  it('the figures of a purse add up: balance = pending + available, a refund taken at once showing as a negative available', () => {
    fc.assert(fc.property(fc.bigInt({ min: -10_000n, max: 10_000n }), fc.bigInt({ min: 0n, max: 10_000n }), (available, pending) => {
      const s = summarizeBalance({ balance: pending + available, held: 0n }, { available, pending });
      return s.balance === s.pending + s.available && s.payable >= 0n && s.payable <= (s.available > 0n ? s.available : 0n);
    }));
  });

  it('the next scheduled payout is due when the next period starts (UTC: tomorrow, next Monday, the 1st)', () => {
    const wednesday = new Date('2026-12-09T15:30:00Z');
    assert.equal(nextPeriodStart('daily', wednesday).toISOString(), '2026-12-10T00:00:00.000Z');
    assert.equal(nextPeriodStart('weekly', wednesday).toISOString(), '2026-12-14T00:00:00.000Z');
    assert.equal(nextPeriodStart('weekly', new Date('2026-12-14T00:00:00Z')).toISOString(), '2026-12-21T00:00:00.000Z', 'a Monday: the next one');
    assert.equal(nextPeriodStart('monthly', wednesday).toISOString(), '2027-01-01T00:00:00.000Z');
    assert.equal(payoutPeriod('weekly', nextPeriodStart('weekly', wednesday)), 'weekly:2026-12-14', 'the start of a new period');
  });
});
