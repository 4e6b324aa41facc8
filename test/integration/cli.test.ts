import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createTestDatabase, testServerUrl, type TestDatabase } from '../helpers/database.js';
import { ensureDatabase, dropDatabase } from '../../lib/postgres/database-admin.js';
import { rememberSecret } from '../helpers/log-capture.js';

const run = promisify(execFile);

describe('operator CLI', function () {
  this.timeout(60_000);
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase(2);
  });
  after(async () => {
    await t.drop();
  });

  const cli = (...args: string[]) => cliOn(t.url, ...args);
  const cliOn = async (databaseUrl: string, ...args: string[]) => {
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', ...args], { env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: databaseUrl } });
      return { code: 0, out: stdout };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  };

  it('migrates a new, empty database (npm run migrate), and applies nothing the second time', async () => {
    const name = `telepurse_cli_migrate_${process.pid}`;
    await dropDatabase(testServerUrl(), name);
    const url = await ensureDatabase(testServerUrl(), name);
    try {
      const first = await cliOn(url, 'migrate');
      assert.equal(first.code, 0, first.out);
      assert.ok(JSON.parse(first.out).applied.length > 0);
      const second = await cliOn(url, 'migrate');
      assert.deepEqual([second.code, JSON.parse(second.out).applied], [0, []]);
    } finally {
      await dropDatabase(testServerUrl(), name);
    }
  });

  it('prints help', async () => {
    const { code, out } = await cli('--help');
    assert.equal(code, 0);
    for (const command of ['merchants:create', 'wallets:create', 'wallets:topup', 'wallets:show', 'ledger:check']) assert.ok(out.includes(command));
  });

  it('creates a merchant and a wallet, tops it up, shows it and checks the ledger', async () => {
    const merchant = await cli('merchants:create', '--name', 'CLI Shop', '--currency', 'EUR', '--allowed-host', 'shop.example.com', '--mode', 'test');
    assert.equal(merchant.code, 0, merchant.out);
    const m = JSON.parse(merchant.out);
    rememberSecret(m.api_key);
    rememberSecret(m.secret_key);
    assert.match(m.purse, /^E\d{12}$/);
    assert.deepEqual(m.allowed_hosts, ['shop.example.com']);

    const wallet = JSON.parse((await cli('wallets:create', '--currency', 'EUR', '--phone', '+49 151 23456789')).out);
    assert.equal(wallet.phone, '+4915123456789');
    const topped = JSON.parse((await cli('wallets:topup', wallet.purse, '25.10')).out);
    assert.equal(topped.balance, '25.10');
    const shown = JSON.parse((await cli('wallets:show', wallet.purse)).out);
    assert.equal(shown.available, '25.10');
    const check = await cli('ledger:check');
    assert.equal(check.code, 0);
    assert.equal(JSON.parse(check.out).ok, true);
  });

  it('explains bad input and exits non-zero', async () => {
    const bad = await cli('wallets:topup', 'Z123', '1.00');
    assert.equal(bad.code, 1);
    assert.match(bad.out, /invalid_request/);
    const unknown = await cli('wallets:explode');
    assert.equal(unknown.code, 2);
  });

  it('lists, shows, renames and suspends merchants', async () => {
    const created = JSON.parse((await cli('merchants:create', '--name', 'Listed Shop')).out);
    rememberSecret(created.api_key);
    rememberSecret(created.secret_key);
    rememberSecret(created.webhook_secret);
    const list = await cli('merchants:list', '--limit', '100');
    assert.equal(list.code, 0, list.out);
    assert.ok(JSON.parse(list.out).data.some((m: { id: string }) => m.id === created.id));
    const suspended = await cli('merchants:update', created.id, '--status', 'suspended', '--name', 'Quiet Shop');
    assert.equal(suspended.code, 0, suspended.out);
    const shown = JSON.parse((await cli('merchants:show', created.id)).out);
    assert.deepEqual([shown.name, shown.status], ['Quiet Shop', 'suspended']);
    assert.ok(!('secret_key' in shown));
    const shop = await cli('shops:create', created.id, '--name', 'Second CLI Shop', '--currency', 'EUR');
    assert.equal(shop.code, 0, shop.out);
    const shopBody = JSON.parse(shop.out);
    rememberSecret(shopBody.secret_key);
    rememberSecret(shopBody.webhook_secret);
    assert.match(shopBody.purse, /^E\d{12}$/);
    const disabled = JSON.parse((await cli('shops:update', shopBody.id, '--status', 'disabled')).out);
    assert.equal(disabled.status, 'disabled');
    assert.equal(JSON.parse((await cli('shops:show', shopBody.id)).out).name, 'Second CLI Shop');
    const bad = await cli('merchants:update', created.id, '--status', 'asleep');
    assert.equal(bad.code, 1);
    assert.match(bad.out, /"field": "status"/);
  });

  it('changes a back-office user: role, disabled, a new set-up link', async () => {
    const merchant = JSON.parse((await cli('merchants:create', '--name', 'Users Shop')).out);
    [merchant.api_key, merchant.secret_key, merchant.webhook_secret].forEach(rememberSecret);
    const user = JSON.parse((await cli('users:create', merchant.id, '--email', 'cli-user@shop.example', '--role', 'staff')).out);
    rememberSecret(user.setup_url.split('/').pop());
    const changed = await cli('users:update', user.id, '--role', 'viewer', '--status', 'disabled');
    assert.equal(changed.code, 0, changed.out);
    assert.deepEqual([JSON.parse(changed.out).role, JSON.parse(changed.out).status], ['viewer', 'disabled']);
    const reset = JSON.parse((await cli('users:update', user.id, '--status', 'active', '--reset-password', '--reset-totp')).out);
    rememberSecret(reset.setup_url.split('/').pop());
    assert.match(reset.setup_url, /\/office\/setup\/[A-Za-z0-9_-]{43}$/);
    assert.equal(reset.status, 'active');
    const none = await cli('users:update', user.id);
    assert.equal(none.code, 1);
  });

  it('exits with 1 when the ledger is broken', async () => {
    const wallet = JSON.parse((await cli('wallets:create', '--currency', 'USD')).out);
    await t.db.raw('update wallets set balance = 5 where purse = ?', [wallet.purse]);
    const check = await cli('ledger:check');
    assert.equal(check.code, 1);
    // out is stdout then stderr: the report, then the check's progress lines and its summary
    const cut = check.out.indexOf('\n{"progress"') + 1;
    assert.equal(JSON.parse(check.out.slice(0, cut)).ok, false);
    assert.match(check.out.slice(cut), /\nledger:check: PROBLEMS FOUND \(\d+\.\d s\)\n$/);
  });
});
