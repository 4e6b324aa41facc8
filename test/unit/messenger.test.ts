import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { shareLinks, statusAfter, whatsappRetryable } from '../../lib/domain/messenger.js';
import { signatureValid, statusesOf } from '../../lib/messenger/webhook.js';

/** lib/domain/messenger.ts and the webhook checks (docs/operator-guide.md#whatsapp-channel): pure rules, no network. */
describe('WhatsApp rules', () => {
  it('decides retries by the error code, not the HTTP status', () => {
    for (const code of [130429, 131056, 131000, 131016]) assert.equal(whatsappRetryable(code, 400), true, String(code));
    for (const code of [131026, 131047, 132001, 190, 100]) assert.equal(whatsappRetryable(code, 500), false, String(code));
    assert.equal(whatsappRetryable(null, 502), true, 'a 5xx without a code');
    assert.equal(whatsappRetryable(null, 404), false);
  });

  it('moves a status forward only; failed ends only a message not yet delivered', () => {
    assert.equal(statusAfter('sent', 'delivered'), 'delivered');
    assert.equal(statusAfter('delivered', 'read'), 'read');
    assert.equal(statusAfter('read', 'delivered'), null);
    assert.equal(statusAfter('sent', 'sent'), null);
    assert.equal(statusAfter('unknown', 'sent'), 'sent');
    assert.equal(statusAfter('sent', 'failed'), 'failed');
    assert.equal(statusAfter('delivered', 'failed'), null);
    assert.equal(statusAfter('failed', 'delivered'), null);
  });

  it('writes the share links with the message URL-encoded', () => {
    const links = shareLinks('79031234567', 'Pay 1.00 USD to A&B: https://pay.example/l/abc?x=1');
    assert.equal(links.whatsapp, 'https://wa.me/79031234567?text=Pay%201.00%20USD%20to%20A%26B%3A%20https%3A%2F%2Fpay.example%2Fl%2Fabc%3Fx%3D1');
    assert.equal(links.sms, 'sms:+79031234567?&body=Pay%201.00%20USD%20to%20A%26B%3A%20https%3A%2F%2Fpay.example%2Fl%2Fabc%3Fx%3D1');
  });

  it('accepts a webhook only with the HMAC-SHA256 of its exact bytes', () => {
    const raw = Buffer.from('{"entry":[]}');
    const good = `sha256=${createHmac('sha256', 'secret').update(raw).digest('hex')}`;
    assert.equal(signatureValid('secret', raw, good), true);
    assert.equal(signatureValid('secret', Buffer.from('{"entry": []}'), good), false, 'one byte more');
    assert.equal(signatureValid('other', raw, good), false);
    assert.equal(signatureValid('secret', raw, good.replace('sha256=', 'sha1=')), false);
    assert.equal(signatureValid('secret', raw, undefined), false);
  });

  it('reads statuses from entry[].changes[].value.statuses[] and ignores the rest', () => {
    const body = { entry: [{ changes: [{ value: { messages: [{ id: 'in' }], statuses: [
      { id: 'wamid.1', status: 'read' }, { id: 'wamid.2', status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable' }] }, { id: 'wamid.3', status: 'deleted' }, 'junk',
    ] } }] }] };
    assert.deepEqual(statusesOf(body), [
      { id: 'wamid.1', status: 'read', error: null },
      { id: 'wamid.2', status: 'failed', error: 'WhatsApp error 131026: Message undeliverable' },
    ]);
    assert.deepEqual(statusesOf(null), []);
    assert.deepEqual(statusesOf({ entry: 'x' }), []);
  });
});
