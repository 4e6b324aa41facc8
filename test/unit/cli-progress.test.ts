import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { progressReporter } from '../../lib/cli/progress.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = Object.assign(new Writable({ write(c, _e, done) { chunks.push(String(c)); done(); } }), { isTTY, columns: 80 });
  return { stream, text: () => chunks.join('') };
}

describe('the CLI progress reporter', () => {
  it('writes JSON lines off a terminal, at most one per interval (and always the last), then a one-line summary', () => {
    const out = sink(false);
    let now = 0;
    const p = progressReporter('vouchers:create', out.stream, () => now, 200);
    p.update(500, 2000);
    now = 50;
    p.update(1000, 2000);
    now = 300;
    p.update(1500, 2000);
    now = 320;
    p.update(2000, 2000);
    now = 1250;
    p.finish('2000 vouchers');
    const lines = out.text().trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, -1).map((l) => JSON.parse(l).done), [500, 1500, 2000]);
    assert.deepEqual(JSON.parse(lines[0]!), { progress: 'vouchers:create', done: 500, total: 2000 });
    assert.equal(lines.at(-1), 'vouchers:create: 2000 vouchers (1.3 s)');
  });

  it('draws a bar in place on a terminal and ends it with the summary on its own line', () => {
    const out = sink(true);
    const p = progressReporter('ledger:check', out.stream, () => 0, 0);
    p.update(5, 10);
    p.update(10, 10);
    p.finish('ok');
    const text = out.text();
    assert.match(text, /^\rledger:check \[#+-+\] 50% 5\/10\rledger:check \[#+\] 100% 10\/10\nledger:check: ok \(0\.0 s\)\n$/);
  });

  it('still ends with its summary when nothing was counted', () => {
    const out = sink(true);
    progressReporter('payouts:run', out.stream, () => 0).finish('0 payouts made');
    assert.equal(out.text(), 'payouts:run: 0 payouts made (0.0 s)\n');
  });
});
