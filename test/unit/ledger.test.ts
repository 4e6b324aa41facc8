import assert from 'node:assert/strict';
import { planTransfer, canReserve, type WalletBalance } from '../../lib/domain/ledger.js';
import { AppError } from '../../lib/domain/errors.js';

const wallet = (purse: string, balance: bigint, extra: Partial<WalletBalance> = {}): WalletBalance => ({
  purse, currency: 'USD', mode: 'live', kind: 'customer', balance, held: 0n, ...extra,
});
const usd = { currency: 'USD' as const, mode: 'live' as const };
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : 'bug';
  }
  return 'none';
};

describe('ledger rules', () => {
  it('computes postings and the balance after each', () => {
    const plan = planTransfer([wallet('Z1', 1000n), wallet('Z2', 5n)], [{ purse: 'Z1', amount: -300n }, { purse: 'Z2', amount: 300n }], usd);
    assert.deepEqual(plan.postings, [
      { purse: 'Z1', amount: -300n, balanceAfter: 700n },
      { purse: 'Z2', amount: 300n, balanceAfter: 305n },
    ]);
  });

  it('refuses legs that do not sum to zero, or zero legs, as bugs', () => {
    assert.equal(code(() => planTransfer([wallet('Z1', 10n), wallet('Z2', 0n)], [{ purse: 'Z1', amount: -1n }, { purse: 'Z2', amount: 2n }], usd)), 'bug');
    assert.equal(code(() => planTransfer([wallet('Z1', 10n)], [{ purse: 'Z1', amount: 0n }, { purse: 'Z1', amount: 0n }], usd)), 'bug');
  });

  it('lets no customer or merchant wallet go below what it has on hold', () => {
    const legs = [{ purse: 'Z1', amount: -100n }, { purse: 'Z2', amount: 100n }];
    assert.equal(code(() => planTransfer([wallet('Z1', 99n), wallet('Z2', 0n)], legs, usd)), 'insufficient_funds');
    assert.equal(code(() => planTransfer([wallet('Z1', 150n, { held: 60n }), wallet('Z2', 0n)], legs, usd)), 'insufficient_funds');
    assert.equal(code(() => planTransfer([wallet('Z1', 0n, { kind: 'merchant' }), wallet('Z2', 0n)], legs, usd)), 'insufficient_funds');
    assert.equal(code(() => planTransfer([wallet('Z1', 0n, { kind: 'system' }), wallet('Z2', 0n)], legs, usd)), 'none');
  });

  it('spends held money when the transfer releases the hold', () => {
    const plan = planTransfer([wallet('Z1', 100n, { held: 100n }), wallet('Z2', 0n)], [{ purse: 'Z1', amount: -60n }, { purse: 'Z2', amount: 60n }], usd, new Map([['Z1', 100n]]));
    assert.deepEqual(plan.balances.get('Z1'), { balance: 40n, held: 0n });
  });

  it('keeps currencies and live/test money apart', () => {
    const legs = [{ purse: 'Z1', amount: -1n }, { purse: 'E2', amount: 1n }];
    assert.equal(code(() => planTransfer([wallet('Z1', 10n), wallet('E2', 0n, { currency: 'EUR' })], legs, usd)), 'currency_mismatch');
    const testLegs = [{ purse: 'Z1', amount: -1n }, { purse: 'Z2', amount: 1n }];
    assert.equal(code(() => planTransfer([wallet('Z1', 10n), wallet('Z2', 0n, { mode: 'test' })], testLegs, usd)), 'mode_mismatch');
  });

  it('reserves only what is available', () => {
    assert.equal(canReserve(wallet('Z1', 100n, { held: 40n }), 60n), true);
    assert.equal(canReserve(wallet('Z1', 100n, { held: 40n }), 61n), false);
  });
});
