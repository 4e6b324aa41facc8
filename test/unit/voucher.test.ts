import assert from 'node:assert/strict';
import { assertCanReceive, assertRedeemable, newVoucherCode, normalizeVoucherCode, voucherCodeHash, voucherFloatPurse } from '../../lib/domain/voucher.js';
import type { AppError } from '../../lib/domain/errors.js';

describe('voucher codes and rules', () => {
  it('draws 16 Crockford base32 characters in four groups, each code different', () => {
    const codes = Array.from({ length: 2000 }, newVoucherCode);
    for (const code of codes) assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    assert.equal(new Set(codes).size, codes.length);
    // every character of the alphabet turns up: the 80 bits are spread over all 16 places
    assert.equal(new Set(codes.join('').replace(/-/g, '')).size, 32);
  });

  it('reads a code as people type it: any case, hyphens or spaces, I and L for 1, O for 0', () => {
    assert.equal(normalizeVoucherCode('abcd-efgh-jkmn-pqrs'), 'ABCDEFGHJKMNPQRS');
    assert.equal(normalizeVoucherCode(' 0o1i l234 5678 9ABC '), '0011123456789ABC');
    assert.equal(normalizeVoucherCode('ABCD-EFGH-JKMN-PQR'), undefined, 'too short');
    assert.equal(normalizeVoucherCode('ABCD-EFGH-JKMN-PQRU'), undefined, 'U is not Crockford');
    assert.equal(normalizeVoucherCode('ABCD-EFGH-JKMN-PQR!'), undefined);
  });

  it('hashes a code with a key from the secret: another secret, another hash', () => {
    const code = normalizeVoucherCode(newVoucherCode())!;
    const a = voucherCodeHash('secret-one-0123456789', code);
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(voucherCodeHash('secret-one-0123456789', code), a);
    assert.notEqual(voucherCodeHash('secret-two-0123456789', code), a);
  });

  it('refuses redeemed, void and expired vouchers by name, and frozen wallets', () => {
    const now = new Date('2026-12-07T00:00:00Z');
    const code = (f: () => void) => { try { f(); return 'ok'; } catch (e) { return (e as AppError).code; } };
    assert.equal(code(() => assertRedeemable({ status: 'active', expiresAt: null }, now)), 'ok');
    assert.equal(code(() => assertRedeemable({ status: 'active', expiresAt: new Date('2026-12-08T00:00:00Z') }, now)), 'ok');
    assert.equal(code(() => assertRedeemable({ status: 'active', expiresAt: now }, now)), 'voucher_expired', 'past its date before the job ran');
    assert.equal(code(() => assertRedeemable({ status: 'expired', expiresAt: now }, now)), 'voucher_expired');
    assert.equal(code(() => assertRedeemable({ status: 'redeemed', expiresAt: null }, now)), 'voucher_redeemed');
    assert.equal(code(() => assertRedeemable({ status: 'void', expiresAt: null }, now)), 'voucher_invalid');
    assert.equal(code(() => assertCanReceive({ status: 'frozen' })), 'wallet_frozen');
    assert.equal(code(() => assertCanReceive({ status: 'active' })), 'ok');
    assert.equal(voucherFloatPurse('EUR', 'test'), 'E000000000008');
  });
});
