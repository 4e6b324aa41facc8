import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useTestApp } from '../helpers/test-app.js';
import { createBuyer } from '../helpers/merchant.js';
import { fundedWallet, uniquePhone } from '../helpers/builders.js';
import { query } from '../../lib/postgres/db.js';
import { maskPhone } from '../../lib/domain/phone.js';

/** docs/operator-guide.md#operator-api-and-cli: `wallets:freeze` and `wallets:unfreeze`, the console's lost-phone switch for scripts. */
describe('CLI: wallets:freeze and wallets:unfreeze', function () {
  this.timeout(120_000);
  const t = useTestApp();

  const cli = async (...args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'lib/cli.ts', ...args],
    { env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: t.database.url } })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }));
  const statusOf = async (purse: string) => (await query<{ status: string }>(t.database.db, 'select status from wallets where purse = ?', [purse]))[0]!.status;
  const audits = (action: string) => query<{ user_id: string | null; email: string; target: string; audience: string; details: { purses: string[]; changed: string[]; by: string } }>(t.database.db,
    'select user_id, email, target, audience, details from audit_log where action = ? order by id', [action]);

  it('freezes every wallet of a phone and unfreezes them, each audited as cli:<user>, the phone masked in the answer', async () => {
    const live = await createBuyer(t, '3.00');
    const test = await fundedWallet({ db: t.database.db, clock: t.clock }, { phone: live.phone, mode: 'test' });

    const frozen = await cli('wallets:freeze', `+${live.phone.slice(0, 1)} ${live.phone.slice(1, 4)} ${live.phone.slice(4)}`);
    assert.equal(frozen.code, 0, frozen.stderr);
    const answer = JSON.parse(frozen.stdout);
    assert.deepEqual({ ...answer, purses: [...answer.purses].sort(), changed: [...answer.changed].sort() },
      { phone: maskPhone(live.phone), status: 'frozen', purses: [live.purse, test.purse].sort(), changed: [live.purse, test.purse].sort() });
    assert.ok(!frozen.stdout.includes(live.phone), 'the whole phone is never printed');
    assert.deepEqual([await statusOf(live.purse), await statusOf(test.purse)], ['frozen', 'frozen']);
    const [freeze] = await audits('wallet_freeze');
    assert.match(freeze!.email, /^cli:.+/);
    assert.deepEqual([freeze!.audience, freeze!.user_id, freeze!.details.by, [...freeze!.details.changed].sort()], ['console', null, 'operator', [live.purse, test.purse].sort()]);
    assert.ok(!JSON.stringify(freeze).includes(live.phone), 'the audit names purses, never the phone');

    // frozen already: nothing changes, and it is still audited
    const again = JSON.parse((await cli('wallets:freeze', `+${live.phone}`)).stdout);
    assert.deepEqual(again.changed, []);

    const unfrozen = await cli('wallets:unfreeze', `+${live.phone}`);
    assert.equal(unfrozen.code, 0, unfrozen.stderr);
    assert.equal(JSON.parse(unfrozen.stdout).status, 'active');
    assert.deepEqual([await statusOf(live.purse), await statusOf(test.purse)], ['active', 'active']);
    const unfreezes = await audits('wallet_unfreeze');
    assert.equal(unfreezes.length, 1);
    assert.match(unfreezes[0]!.email, /^cli:.+/);
    assert.equal(unfreezes[0]!.email, freeze!.email);
  });

  it('a bad phone, a missing one or a phone without wallets: a clear message, exit 1, no stack trace, nothing audited', async () => {
    const before = (await audits('wallet_freeze')).length;
    for (const [args, message] of [
      [['wallets:freeze', '12345'], /^invalid_request: .*phone/],
      [['wallets:unfreeze'], /^invalid_request: .*phone/],
      [['wallets:freeze', `+${uniquePhone()}`], /^wallet_not_found: No wallet is linked to this phone/],
    ] as const) {
      const run = await cli(...args);
      assert.equal(run.code, 1, `${args.join(' ')} exits with 1`);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.equal((await audits('wallet_freeze')).length, before);
  });
});
