import assert from 'node:assert/strict';
import { createSmsDispatcher } from '../../lib/sms/dispatch.js';
import { LogGateway } from '../../lib/sms/log-gateway.js';
import { createLogger } from '../../lib/log.js';
import { SmsSendError } from '../../lib/sms/gateway.js';
import type { Phone } from '../../lib/domain/phone.js';

/** Found by the failover run: a database failing to record a sent SMS is not the gateway's failure. */
describe('the SMS dispatcher tells a gateway failure from a database failure', () => {
  const log = createLogger('silent');
  const sms = { id: 'sms_x', phone: '79031234567' as Phone, text: 'Code 1234', mode: 'live' as const, paymentId: 'pay_x' };
  const gateway = (fail: boolean) => ({ name: 'g', send: async () => { if (fail) throw new SmsSendError('down', true); return { gateway: 'g', gatewayMessageId: '1' }; } });

  it('a gateway that refuses: { ok: false }, recorded as failed', async () => {
    const failed: string[] = [];
    const dispatcher = createSmsDispatcher({ log }, { sent: async () => {}, failed: async (id) => void failed.push(id), unknown: async () => {}, receipts: async () => ({ changed: 0, unmatched: [] }) }, gateway(true), new LogGateway(log, () => new Date()));
    assert.deepEqual(await dispatcher.send(sms), { ok: false, error: 'down', maybeSent: false });
    assert.deepEqual(failed, ['sms_x']);
  });

  it('the gateway took it but the database did not record it: the database error goes up (a 503), the SMS is not called failed', async () => {
    const failed: string[] = [];
    const lost = new Error('update sms_messages … - Connection terminated unexpectedly');
    const dispatcher = createSmsDispatcher({ log }, { sent: async () => { throw lost; }, failed: async (id) => void failed.push(id), unknown: async () => {}, receipts: async () => ({ changed: 0, unmatched: [] }) }, gateway(false), new LogGateway(log, () => new Date()));
    await assert.rejects(dispatcher.send(sms), lost);
    assert.deepEqual(failed, []);
  });
});
