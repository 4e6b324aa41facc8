import assert from 'node:assert/strict';
import { RECEIPT_TOKEN_MASK, RECEIPT_TOKEN_PATTERN, phoneTail, receiptToken, receiptTokenHash, receiptUrl, revealReceiptLink } from '../../lib/domain/receipt.js';

/** docs/buyer-guide.md#receipts: the token is derived, never stored; stored texts carry a mask the outbox replaces. */
describe('receipt tokens and texts', () => {
  it('derives a 128-bit token per payment and secret, the same each time', () => {
    const a = receiptToken('secret-one-0123456789', 'pay_aaaaaaaaaaaaaaaaaaaaaaaa');
    assert.match(a, RECEIPT_TOKEN_PATTERN);
    assert.equal(Buffer.from(a, 'base64url').length, 16);
    assert.equal(receiptToken('secret-one-0123456789', 'pay_aaaaaaaaaaaaaaaaaaaaaaaa'), a);
    assert.notEqual(receiptToken('secret-one-0123456789', 'pay_bbbbbbbbbbbbbbbbbbbbbbbb'), a);
    assert.notEqual(receiptToken('secret-two-0123456789', 'pay_aaaaaaaaaaaaaaaaaaaaaaaa'), a);
    assert.match(receiptTokenHash(a), /^[0-9a-f]{64}$/);
    assert.ok(!receiptTokenHash(a).includes(a));
  });

  it('puts the token back into a masked text only where the link is', () => {
    const masked = `Receipt: ${receiptUrl('https://pay.example.com/', RECEIPT_TOKEN_MASK)} ••••••`;
    assert.equal(masked, 'Receipt: https://pay.example.com/r/•••••• ••••••');
    assert.equal(revealReceiptLink(masked, 'T0ken'), 'Receipt: https://pay.example.com/r/T0ken ••••••');
  });

  it('shows only the last two digits of a phone', () => {
    assert.equal(phoneTail('4915123456789'), '•••••••••••89');
    assert.equal(phoneTail(null), '');
  });
});
