import assert from 'node:assert/strict';
import { afterWrongTry, codeUsable, resendCooldownLeft, sendVerdict, type CodeLimits } from '../../lib/domain/code-policy.js';

const limits: CodeLimits = { length: 4, ttlSeconds: 300, maxWrongTriesPerCode: 3, maxCodesPerPayment: 3, maxCodesPerPhonePerHour: 5, maxWrongTriesPerPhonePerDay: 10 };
const now = new Date('2026-12-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('code policy (pure, no database)', () => {
  it('lets a send through under every limit', () => {
    assert.deepEqual(sendVerdict(limits, now, 0, [], []), { ok: true });
  });
  it('refuses the fourth code of a payment', () => {
    assert.deepEqual(sendVerdict(limits, now, 3, [], []), { ok: false, reason: 'payment_limit' });
  });
  it('refuses the sixth SMS to a phone in an hour until the oldest leaves the hour', () => {
    const sends = [ago(3000), ago(2000), ago(1000), ago(500), ago(100)];
    assert.deepEqual(sendVerdict(limits, now, 0, sends, []), { ok: false, reason: 'phone_limit', retryAfterSeconds: 600 });
  });
  it('locks a phone with 10 wrong tries in a day, before anything else', () => {
    const wrong = Array.from({ length: 10 }, (_, i) => ago(80_000 - i));
    const verdict = sendVerdict(limits, now, 3, [], wrong);
    assert.equal(verdict.ok, false);
    assert.equal(!verdict.ok && verdict.reason, 'phone_locked');
  });
  it('fails the payment at the third wrong try of a code, or when the phone reached its day', () => {
    assert.deepEqual(afterWrongTry(limits, 1, 1), { triesLeft: 2, paymentFails: false });
    assert.deepEqual(afterWrongTry(limits, 3, 3), { triesLeft: 0, paymentFails: true });
    assert.deepEqual(afterWrongTry(limits, 1, 10), { triesLeft: 2, paymentFails: true });
  });
  it('judges a code before comparing it: missing, used, expired', () => {
    assert.equal(codeUsable(undefined, now), 'no_code');
    assert.equal(codeUsable({ status: 'used', expiresAt: ago(-60), wrongTries: 0 }, now), 'dead');
    assert.equal(codeUsable({ status: 'live', expiresAt: now, wrongTries: 0 }, now), 'expired');
    assert.equal(codeUsable({ status: 'live', expiresAt: ago(-1), wrongTries: 0 }, now), 'ok');
  });
  it('counts the resend cooldown down from 30 s', () => {
    assert.equal(resendCooldownLeft(now, now), 30);
    assert.equal(resendCooldownLeft(ago(29), now), 1);
    assert.equal(resendCooldownLeft(ago(30), now), 0);
  });
});
