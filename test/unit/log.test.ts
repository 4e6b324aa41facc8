import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../lib/log.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _e, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('debug', stream), text: () => lines.join('') };
}

describe('logger', () => {
  it('masks phone numbers and removes secrets by key, at any depth a log call reaches', () => {
    const { log, text } = capture();
    log.info({ phone: '79031234567', body: { to: '+79031234567', code: '4821', api_key: 'tp_live_abc' }, merchant: { secret_key: 's3cr3t' } }, 'x');
    log.info({ req: { headers: { authorization: 'Bearer tp_test_xyz' } } }, 'y');
    const out = text();
    for (const leaked of ['79031234567', '4821', 'tp_live_abc', 's3cr3t', 'tp_test_xyz']) assert.ok(!out.includes(leaked), leaked);
    assert.ok(out.includes('+7903*****67'));
  });

  it('writes ISO 8601 times', () => {
    const { log, text } = capture();
    log.info('hello');
    assert.match(JSON.parse(text()).time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

