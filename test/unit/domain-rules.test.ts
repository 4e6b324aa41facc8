import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { checkFormSignature, lmiDate, lmiHash, lmiHash2, paymentFormSign, type HashedFields } from '../../lib/domain/lmi.js';
import { checkCallbackUrl, registeredHosts } from '../../lib/domain/merchant-urls.js';
import { isPublicAddress, obviouslyPrivateHost } from '../../lib/domain/addresses.js';
import { nextAttemptAt } from '../../lib/domain/retry-schedule.js';
import { apiKeyMode, apiKeyPrefix, newApiKey, newWebhookSecret, secretsEqual } from '../../lib/domain/secrets.js';
import { codesEqual, deriveCode, looksLikeCode } from '../../lib/domain/code.js';
import { isPaymentId, newId, newLinkToken, LINK_TOKEN_PATTERN } from '../../lib/domain/ids.js';
import { newPurse, PURSE_PATTERN, issuancePurse, clearingPurse, feePurse, feeShardOf, FEE_WALLET_SHARDS } from '../../lib/domain/wallet.js';
import { secondsAfter, secondsUntil } from '../../lib/domain/time.js';
import { isAppError } from '../../lib/domain/errors.js';

const upperHex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex').toUpperCase();

describe('domain rules (pure, no database)', () => {
  const fields: HashedFields = {
    LMI_PAYEE_PURSE: 'Z123456789012', LMI_PAYMENT_AMOUNT: '12.08', LMI_PAYMENT_NO: '', LMI_MODE: '0', LMI_SYS_INVS_NO: '7',
    LMI_SYS_TRANS_NO: '9', LMI_SYS_TRANS_DATE: '20261201 12:00:00', LMI_PAYER_PURSE: 'Z210987654321', LMI_PAYER_WM: '111122223333',
  };

  it('hashes the Result as docs/merchant-guide.md#the-result-notification says: concatenation for LMI_HASH, ";" for LMI_HASH2, the secret in the middle', () => {
    const values = ['Z123456789012', '12.08', '', '0', '7', '9', '20261201 12:00:00', 'sekret', 'Z210987654321', '111122223333'];
    assert.equal(lmiHash(fields, 'sekret', 'sha256'), upperHex('sha256', values.join('')));
    assert.equal(lmiHash(fields, 'sekret', 'md5'), upperHex('md5', values.join('')));
    assert.equal(lmiHash2(fields, 'sekret'), upperHex('sha256', values.join(';')));
    assert.equal(lmiDate(new Date('2026-12-01T09:05:07.999Z')), '20261201 09:05:07');
  });

  it('checks LMI_PAYMENTFORM_SIGN over the values as posted, only when the shop asks for it', () => {
    const form = { payeePurse: 'Z123456789012', amountAsSent: '1.50', paymentNoAsSent: '007' };
    assert.equal(paymentFormSign('Z1', '1.50', '007', 's'), upperHex('sha256', 'Z1;1.50;007;s;'));
    const shop = { requireSignedForms: true, secretKey: 's' };
    checkFormSignature({ ...form, sign: paymentFormSign(form.payeePurse, '1.50', '007', 's').toLowerCase() }, shop);
    const fieldOf = (f: typeof form & { sign?: string }) => {
      try {
        checkFormSignature(f, shop);
        return 'ok';
      } catch (err) {
        return isAppError(err) ? (err.extra.errors as { field: string }[])[0]!.field : 'other';
      }
    };
    assert.equal(fieldOf({ ...form, sign: paymentFormSign(form.payeePurse, '1.50', '7', 's') }), 'LMI_PAYMENTFORM_SIGN');
    assert.equal(fieldOf(form), 'LMI_PAYMENTFORM_SIGN');
    checkFormSignature(form, { requireSignedForms: false, secretKey: 's' });
  });

  it('accepts merchant URLs only over http(s), without credentials, on registered hosts, and public unless allowed', () => {
    const m = { resultUrl: 'https://shop.example.com/r', successUrl: null, failUrl: null, webhookUrl: null, allowedHosts: ['Pay.Example.com'] };
    assert.deepEqual([...registeredHosts(m)].sort(), ['pay.example.com', 'shop.example.com']);
    assert.equal(checkCallbackUrl('https://shop.example.com/other', m, false).ok, true);
    assert.equal(checkCallbackUrl('https://pay.example.com/x', m, false).ok, true);
    for (const bad of ['ftp://shop.example.com/r', 'https://u:p@shop.example.com/r', 'https://evil.example.net/r', 'http://127.0.0.1/r', 'not a url']) {
      assert.equal(checkCallbackUrl(bad, m, false).ok, false, bad);
    }
    assert.equal(checkCallbackUrl('http://127.0.0.1/r', null, true).ok, true, 'tests and on-premise set-ups may allow private callbacks');
  });

  it('tells public addresses from private, loopback, link-local, mapped and local names', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '192.168.0.1', '169.254.169.254', '100.64.0.1', '::1', '::ffff:127.0.0.1', '0.0.0.0', 'fe80::1', '::7f00:1', '::a00:1', '64:ff9b::7f00:1']) {
      assert.equal(isPublicAddress(ip), false, ip);
    }
    assert.equal(isPublicAddress('93.184.216.34'), true);
    assert.equal(isPublicAddress('2606:4700::1111'), true, 'an ordinary public IPv6 address');
    assert.equal(obviouslyPrivateHost('localhost'), true);
    assert.equal(obviouslyPrivateHost('db.internal'), true);
    assert.equal(obviouslyPrivateHost('[::1]'), true);
    assert.equal(obviouslyPrivateHost('shop.example.com'), false);
  });

  it('retries on the schedule, then gives up', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    assert.deepEqual(nextAttemptAt([30, 60], 1, now), secondsAfter(now, 30));
    assert.deepEqual(nextAttemptAt([30, 60], 2, now), secondsAfter(now, 60));
    assert.equal(nextAttemptAt([30, 60], 3, now), undefined);
    assert.equal(secondsUntil(now.getTime() + 1, now), 1, 'Retry-After is at least one second');
  });

  it('makes keys whose mode is in their name, compares secrets in constant time whatever their lengths', () => {
    const live = newApiKey('live');
    assert.equal(apiKeyMode(live), 'live');
    assert.equal(apiKeyMode(newApiKey('test')), 'test');
    assert.equal(apiKeyMode('tp_live_short'), undefined);
    assert.equal(apiKeyPrefix(live), live.slice(0, 12));
    assert.match(newWebhookSecret(), /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(secretsEqual('abc', 'abc'), true);
    assert.equal(secretsEqual('abc', 'abcd'), false);
  });

  it('derives the same code from the same key, payment and counter, and a different one otherwise', async () => {
    const a = await deriveCode('a-server-key-of-32-characters-xx', 'pay_1', 42, 4);
    assert.match(a, /^\d{4}$/);
    assert.equal(await deriveCode('a-server-key-of-32-characters-xx', 'pay_1', 42, 4), a);
    const others = await Promise.all([43, 44, 45, 46].map((c) => deriveCode('a-server-key-of-32-characters-xx', 'pay_1', c, 4)));
    assert.ok(others.some((c) => c !== a));
    assert.match(await deriveCode('a-server-key-of-32-characters-xx', 'pay_1', 42, 6), /^\d{6}$/);
    assert.equal(looksLikeCode('1234', 4), true);
    assert.equal(looksLikeCode('12345', 4), false);
    assert.equal(looksLikeCode(1234, 4), false);
    assert.equal(codesEqual('1234', '1234'), true);
    assert.equal(codesEqual('1234', '1235'), false);
  });

  it('makes ids and purses of their documented shapes', () => {
    assert.equal(isPaymentId(newId('pay')), true);
    assert.equal(isPaymentId(newId('rfd')), false);
    assert.match(newLinkToken(), LINK_TOKEN_PATTERN);
    assert.match(newPurse('EUR'), PURSE_PATTERN);
    assert.ok(newPurse('EUR').startsWith('E'));
    assert.notEqual(issuancePurse('USD', 'live'), issuancePurse('USD', 'test'));
  });

  it('keeps the fee wallet in 32 accounts of the reserved range, its own purse first, and picks one per payment', () => {
    assert.equal(feePurse('USD', 'live'), 'Z000000000003', 'shard 0 is the purse the fee wallet always had');
    assert.equal(feePurse('EUR', 'test', 7), 'E000000000074');
    assert.equal(feePurse('EUR', 'live', 31), 'E000000000313');
    const accounts = ['live', 'test'].flatMap((mode) => Array.from({ length: FEE_WALLET_SHARDS }, (_, k) => feePurse('RUB', mode as 'live' | 'test', k)));
    assert.equal(new Set(accounts).size, 2 * FEE_WALLET_SHARDS);
    for (const purse of accounts) {
      assert.match(purse, PURSE_PATTERN);
      assert.ok(purse.slice(1).startsWith('000000000'), `${purse} is a system account`);
      assert.ok(![issuancePurse('RUB', 'live'), issuancePurse('RUB', 'test'), clearingPurse('RUB', 'live'), clearingPurse('RUB', 'test')].includes(purse));
    }
    assert.throws(() => feePurse('USD', 'live', FEE_WALLET_SHARDS), RangeError);
    const id = newId('pay');
    assert.equal(feeShardOf(id), feeShardOf(id), 'the same payment, the same account: a retried transfer posts the same legs');
    const seen = new Array(FEE_WALLET_SHARDS).fill(0);
    for (let i = 0; i < 32_000; i++) seen[feeShardOf(newId('pay'))]++;
    for (const count of seen) assert.ok(count > 800 && count < 1200, `32,000 payments spread about evenly: ${seen.join(', ')}`);
  });
});

describe('sealed merchant secrets (pure, no database)', () => {
  it('seals and opens with the current key, opens with the previous one during a rotation, and refuses any other', async () => {
    const { keyringOf, seal, open, isSealed, isSealedWith } = await import('../../lib/domain/sealed-secrets.js');
    const here = { table: 'shops', column: 'secret_key', id: 'shp_1' };
    const old = keyringOf('an-old-data-key-0123456789-0123456789');
    const sealed = seal(old, 'the-secret', here);
    assert.ok(isSealed(sealed) && !sealed.includes('the-secret'));
    assert.notEqual(seal(old, 'the-secret', here), sealed, 'a fresh IV every time');
    assert.equal(open(old, sealed, here), 'the-secret');
    const rotated = keyringOf('a-new-data-key-0123456789-0123456789x', 'an-old-data-key-0123456789-0123456789');
    assert.equal(open(rotated, sealed, here), 'the-secret');
    assert.equal(isSealedWith(rotated, sealed), false);
    assert.throws(() => open(keyringOf('somebody-elses-key-0123456789-01234567'), sealed, here), /unknown key/);
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assert.throws(() => open(old, tampered, here));
  });

  it('binds a sealed value to its row and column: elsewhere it does not open; a v1 value (before the binding) still opens', async () => {
    const { createCipheriv, createHash, randomBytes } = await import('node:crypto');
    const { keyringOf, seal, open, isSealedWith } = await import('../../lib/domain/sealed-secrets.js');
    const ring = keyringOf('a-data-key-0123456789-0123456789-abc');
    const sealed = seal(ring, 'the-secret', { table: 'shops', column: 'secret_key', id: 'shp_1' });
    assert.throws(() => open(ring, sealed, { table: 'shops', column: 'secret_key', id: 'shp_2' }), /does not open in shops\.secret_key of shp_2/);
    assert.throws(() => open(ring, sealed, { table: 'shops', column: 'webhook_secret', id: 'shp_1' }), /does not open/);
    // the v1 format, as the release before sealed it: no additional data
    const key = createHash('sha256').update('telepurse-data-key:a-data-key-0123456789-0123456789-abc').digest();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update('old-secret', 'utf8'), cipher.final()]);
    const v1 = `v1.${createHash('sha256').update(key).digest('hex').slice(0, 8)}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    assert.equal(open(ring, v1, { table: 'shops', column: 'secret_key', id: 'shp_9' }), 'old-secret');
    assert.equal(isSealedWith(ring, v1), false, 'a v1 value is left for the re-seal to bind');
  });
});
