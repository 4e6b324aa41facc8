import assert from 'node:assert/strict';
import { parseAmount, formatAmount } from '../../lib/domain/money.js';

describe('money parsing', () => {
  const good: [string, bigint][] = [
    ['1', 100n], ['1.5', 150n], ['1.50', 150n], ['12.08', 1208n], ['0.01', 1n], ['0.1', 10n], ['0.10', 10n],
    ['10', 1000n], ['999999.99', 99999999n], ['1000000000000', 100000000000000n], ['1000000000000.00', 100000000000000n],
    ['999999999999.99', 99999999999999n], ['100', 10000n], ['7.00', 700n],
  ];
  const bad: unknown[] = [
    '0', '0.00', '0.0', '-1', '-0.01', '+1', '1.005', '1.', '.5', '1e3', '1E3', '0x10', '1,50', '1 000', ' 1', '1 ', '\t1',
    '1\n', '01', '00.50', '1000000000000.01', '1000000000001', 'NaN', 'Infinity', '', 'one', '1.5.0', '１', '1_000', '١',
    12.08, 12, null, undefined, {}, [], true, 12n,
  ];

  for (const [input, minor] of good) {
    it(`reads ${JSON.stringify(input)} as ${minor} minor units`, () => assert.deepEqual(parseAmount(input), { ok: true, minor }));
  }
  for (const input of bad) {
    it(`refuses ${typeof input === 'bigint' ? `${input}n` : JSON.stringify(input) ?? String(input)}`, () => {
      const result = parseAmount(input);
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.reason.length > 10, 'a refusal says why');
    });
  }

  it('formats with exactly two decimals, keeping the sign of issuance balances', () => {
    assert.equal(formatAmount(1208n), '12.08');
    assert.equal(formatAmount(5n), '0.05');
    assert.equal(formatAmount(0n), '0.00');
    assert.equal(formatAmount(100000000000000n), '1000000000000.00');
    assert.equal(formatAmount(-150n), '-1.50');
  });

  it('round-trips every amount it formats', () => {
    for (const minor of [1n, 9n, 10n, 99n, 100n, 101n, 123456789n]) {
      assert.deepEqual(parseAmount(formatAmount(minor)), { ok: true, minor });
    }
  });
});
