import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { query } from '../../lib/postgres/db.js';

const run = promisify(execFile);

describe('operator CLI: vouchers, and the progress of long commands', function () {
  this.timeout(60_000);
  let t: TestDatabase;
  let dir: string;
  before(async () => {
    t = await createTestDatabase(2);
    dir = mkdtempSync(path.join(tmpdir(), 'telepurse-vouchers-'));
  });
  after(async () => {
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', ...args], { env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: t.url } });
      return { code: 0, out: stdout, err: stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout, err: e.stderr };
    }
  };

  it('vouchers:create --count 10000 writes the codes to a new 0600 file only, and shows its progress on stderr', async () => {
    const file = path.join(dir, 'batch.csv');
    const res = await cli('vouchers:create', '--currency', 'USD', '--amount', '2.50', '--count', '10000', '--csv', file);
    assert.equal(res.code, 0, res.err);
    const answer = JSON.parse(res.out);
    assert.deepEqual([answer.count, answer.currency, answer.mode, answer.csv], [10000, 'USD', 'live', file]);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(header, 'id,code,amount,currency,expires_at');
    assert.equal(rows.length, 10000);
    const codes = rows.map((r) => r.split(',')[1]!);
    // a sample for the suite's leak scan (all 10,000 would make it slow); this test searches the outputs for every one
    codes.slice(0, 50).forEach(rememberSecret);
    for (const row of rows.slice(0, 50)) assert.match(row, /^vch_[0-9a-z]{24},[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4},2\.50,USD,$/);
    assert.ok(!codes.some((c) => res.out.includes(c) || res.err.includes(c)), 'no code on stdout or stderr');
    const lines = res.err.trimEnd().split('\n');
    const steps = lines.slice(0, -1).map((l) => JSON.parse(l));
    assert.ok(steps.length >= 1 && steps.every((s) => s.progress === 'vouchers:create' && s.total === 10000), res.err);
    assert.equal(steps.at(-1).done, 10000);
    assert.match(lines.at(-1)!, /^vouchers:create: 10000 vouchers of USD, codes in .*batch\.csv \(\d+\.\d s\)$/);
    const [{ n }] = await query<{ n: number }>(t.db, `select count(*)::int as n from vouchers where batch_id = ?`, [answer.batch_id]) as [{ n: number }];
    assert.equal(n, 10000);
  });

  it('never overwrites a file, and then issues nothing', async () => {
    const file = path.join(dir, 'taken.csv');
    writeFileSync(file, 'keep me\n');
    const res = await cli('vouchers:create', '--currency', 'EUR', '--amount', '1.00', '--count', '3', '--csv', file);
    assert.equal(res.code, 1);
    assert.match(res.err, /invalid_request: --csv .*taken\.csv: the file exists already/);
    assert.equal(readFileSync(file, 'utf8'), 'keep me\n');
    assert.equal((await query(t.db, `select 1 from vouchers where currency = 'EUR'`)).length, 0);
  });

  it('vouchers:list pages without codes; vouchers:void voids one; ledger:check reports its progress and a summary', async () => {
    const list = await cli('vouchers:list', '--status', 'active', '--limit', '2');
    assert.equal(list.code, 0, list.err);
    const page = JSON.parse(list.out);
    assert.equal(page.data.length, 2);
    assert.equal(page.has_more, true);
    assert.ok(!list.out.includes('"code"'));
    const voided = await cli('vouchers:void', page.data[0].id);
    assert.equal(voided.code, 0, voided.err);
    assert.equal(JSON.parse(voided.out).status, 'void');
    const check = await cli('ledger:check');
    assert.equal(check.code, 0, check.out);
    assert.equal(JSON.parse(check.out).ok, true);
    assert.match(check.err.trimEnd().split('\n').at(-1)!, /^ledger:check: ok \(\d+\.\d s\)$/);
    assert.ok(check.err.includes('{"progress":"ledger:check"'));
    const payouts = await cli('payouts:run');
    assert.equal(payouts.code, 0, payouts.err);
    assert.match(payouts.err.trimEnd().split('\n').at(-1)!, /^payouts:run: 0 payouts made \(\d+\.\d s\)$/);
  });
});
