import assert from 'node:assert/strict';
import { codeSmsText, webOtpHost } from '../../lib/domain/sms-text.js';

describe('the code SMS', () => {
  it('ends with the WebOTP line of the host alone: browsers match no port', () => {
    assert.equal(webOtpHost('http://127.0.0.1:3000'), '127.0.0.1');
    assert.equal(webOtpHost('https://pay.example.com:8443/base/'), 'pay.example.com');
    const text = codeSmsText({ code: '1234', amount: 1208n, currency: 'USD', merchantName: 'Demo Shop', host: webOtpHost('http://localhost:3300'), lang: 'en' });
    assert.match(text, /\n\n@localhost #1234$/);
    // Chromium's pattern for the origin-bound line
    assert.match(text.split('\n').at(-1)!, /^@([a-zA-Z0-9.-]+) #([a-zA-Z0-9]+)$/);
  });
});
