import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { codesEqual } from '../../lib/domain/code.js';
import { secretsEqual } from '../../lib/domain/secrets.js';

/**
 * docs/merchant-guide.md#abuse-limits: refusing a wrong code takes the same time however many of its digits were right. A timing
 * measurement cannot tell (`===` on 4 characters differs by about 1 ns, below any tolerance), so this
 * checks the property that gives it: every comparison of a code or secret runs through timingSafeEqual.
 */
describe('codes and secrets are compared in constant time', () => {
  const original = crypto.timingSafeEqual;
  const calls: Array<[Buffer, Buffer]> = [];
  before(() => {
    // node's builtin ESM exports follow the CJS object once synced: the named import in lib/domain sees the spy
    crypto.timingSafeEqual = ((a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.push([Buffer.from(a as Uint8Array), Buffer.from(b as Uint8Array)]);
      return original(a, b);
    }) as typeof crypto.timingSafeEqual;
    syncBuiltinESMExports();
  });
  after(() => {
    crypto.timingSafeEqual = original;
    syncBuiltinESMExports();
  });
  beforeEach(() => { calls.length = 0; });

  it('a code: right, wrong in the last digit, wrong in every digit — each one timingSafeEqual over the whole code', () => {
    for (const [typed, expected] of [['4821', true], ['4820', false], ['0000', false]] as const) {
      calls.length = 0;
      assert.equal(codesEqual('4821', typed), expected);
      assert.equal(calls.length, 1, `${typed}: compared by timingSafeEqual`);
      assert.deepEqual(calls[0]!.map(String), ['4821', typed]);
    }
  });

  it('a secret of any length: hashed to equal lengths, then timingSafeEqual', () => {
    assert.equal(secretsEqual('tp_live_abc', 'tp_live_abc'), true);
    assert.equal(secretsEqual('tp_live_abc', 'tp_live_abd-longer'), false);
    assert.equal(calls.length, 2);
    assert.ok(calls.every(([a, b]) => a.length === 32 && b.length === 32), 'SHA-256 digests');
  });
});
