import assert from 'node:assert/strict';
import { FakeWhatsapp } from '../helpers/fake-whatsapp.js';
import { WhatsappChannel } from '../../lib/messenger/whatsapp.js';
import { ChannelSendError } from '../../lib/messenger/channel.js';

const SECRETS = { token: 'EAAG-adapter-token-0123456789', phoneNumberId: '106540352242922', appSecret: 'adapter-app-secret-0123456789' };

/** lib/messenger/whatsapp.ts against the strict fake of the Cloud API (docs/operator-guide.md#whatsapp-channel): answers, errors, timeouts. */
describe('the WhatsApp Cloud API adapter', () => {
  const fake = new FakeWhatsapp(SECRETS);
  before(async () => fake.start());
  after(async () => fake.stop());

  const channel = (opts: Partial<{ token: string; phoneNumberId: string; timeoutMs: number }> = {}) =>
    new WhatsappChannel({ apiUrl: fake.apiUrl, token: SECRETS.token, phoneNumberId: SECRETS.phoneNumberId, timeoutMs: 2000, ...opts });
  const message = { to: '+79031234567', lang: 'ru', template: { name: 'telepurse_pay_link', body: ['12.08 USD', 'Demo Shop'], button: 'abc123token' }, reference: 'sms_1' };
  const failure = async (send: Promise<unknown>) => {
    const err = await send.then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ChannelSendError, `a ChannelSendError, not ${String(err)}`);
    return err;
  };

  it('sends the template the fake accepts and returns messages[0].id', async () => {
    const sent = await channel().send(message);
    assert.deepEqual(sent, { gateway: 'whatsapp', gatewayMessageId: fake.sent.at(-1)!.id });
    assert.deepEqual(fake.sent.at(-1), { id: sent.gatewayMessageId, to: '79031234567', template: 'telepurse_pay_link', lang: 'ru', body: ['12.08 USD', 'Demo Shop'], button: 'abc123token' });
  });

  it('retries rate limits and the platform trouble, fails the others at once', async () => {
    for (const [code, retryable] of [[130429, true], [131056, true], [131000, true], [131016, true], [131026, false], [131047, false], [132001, false]] as const) {
      fake.answers.push({ code });
      const err = await failure(channel().send(message));
      assert.deepEqual([err.code, err.retryable], [code, retryable], String(code));
    }
  });

  it('a wrong token is error 190 (final); a timeout is retried', async () => {
    const wrong = await failure(channel({ token: 'not-the-token' }).send(message));
    assert.deepEqual([wrong.code, wrong.retryable], [190, false]);
    fake.answers.push('hang');
    const started = Date.now();
    const slow = await failure(channel({ timeoutMs: 200 }).send(message));
    assert.equal(slow.retryable, true);
    assert.ok(Date.now() - started < 1500);
  });

  it('the fake refuses a body that drifts from the wire format', async () => {
    const refused = await failure(channel().send({ ...message, template: { ...message.template, button: 'https://pay.example/l/abc' } }));
    assert.equal(refused.code, 100);
    assert.match(fake.refused.at(-1)!.reason, /bare token/);
  });
});
