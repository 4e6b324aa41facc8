import assert from 'node:assert/strict';
import { challengeUsable, counterGoesBack, passkeysUnavailable, paymentChallenge, relyingPartyOf } from '../../lib/domain/passkey.js';
import type { Payment } from '../../lib/domain/payment.js';

/** docs/security.md#passkeys: the rules of lib/domain/passkey.ts, without a database. */
describe('passkey rules', () => {
  it('takes the RP ID and origin from PUBLIC_URL, and none on an IP address', () => {
    assert.deepEqual(relyingPartyOf('https://pay.example.com/base'), { id: 'pay.example.com', origin: 'https://pay.example.com', name: 'telepurse' });
    assert.deepEqual(relyingPartyOf('http://localhost:3000'), { id: 'localhost', origin: 'http://localhost:3000', name: 'telepurse' });
    for (const ip of ['http://127.0.0.1:3000', 'http://10.1.2.3', 'http://[::1]:8080', 'http://127.1:80']) assert.equal(relyingPartyOf(ip), undefined, ip);
    assert.match(passkeysUnavailable('http://127.0.0.1:3000')!, /IP address/);
    assert.equal(passkeysUnavailable('http://localhost:3000'), undefined);
  });

  it('binds a payment challenge to the id, amount, currency, shop and nonce', () => {
    const p = { id: 'pay_a', amount: 1000n, currency: 'USD', shopId: 'shp_1' } as unknown as Payment;
    const nonce = new Uint8Array(32).fill(7);
    const base = Buffer.from(paymentChallenge(p, nonce)).toString('hex');
    assert.equal(base.length, 64);
    assert.equal(Buffer.from(paymentChallenge(p, nonce)).toString('hex'), base, 'the same inputs give the same challenge');
    for (const changed of [{ ...p, id: 'pay_b' }, { ...p, amount: 1001n }, { ...p, currency: 'EUR' }, { ...p, shopId: 'shp_2' }]) {
      assert.notEqual(Buffer.from(paymentChallenge(changed as Payment, nonce)).toString('hex'), base);
    }
    assert.notEqual(Buffer.from(paymentChallenge(p, new Uint8Array(32).fill(8))).toString('hex'), base);
    // the encoding is length-prefixed: moving a character between fields changes the challenge
    const a = { ...p, id: 'pay_a1', shopId: 'shp_1' } as unknown as Payment;
    const b = { ...p, id: 'pay_a', shopId: '1shp_1' } as unknown as Payment;
    assert.notEqual(Buffer.from(paymentChallenge(a, nonce)).toString('hex'), Buffer.from(paymentChallenge(b, nonce)).toString('hex'));
  });

  it('refuses a counter that goes back or stays, unless the authenticator keeps none', () => {
    assert.equal(counterGoesBack(0, 0), false);
    assert.equal(counterGoesBack(0, 1), false);
    assert.equal(counterGoesBack(5, 6), false);
    assert.equal(counterGoesBack(5, 5), true);
    assert.equal(counterGoesBack(5, 4), true);
    assert.equal(counterGoesBack(5, 0), true);
  });

  it('spends a challenge only while unspent and young', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    assert.equal(challengeUsable({ spentAt: null, expiresAt: new Date(now.getTime() + 1) }, now), true);
    assert.equal(challengeUsable({ spentAt: null, expiresAt: now }, now), false);
    assert.equal(challengeUsable({ spentAt: now, expiresAt: new Date(now.getTime() + 1) }, now), false);
  });
});
