import assert from 'node:assert/strict';
import { frozenError, mayUnfreeze } from '../../lib/domain/wallet-freeze.js';
import { entryTypeOf, hasReceipt } from '../../lib/domain/wallet-history.js';
import { signInSmsText } from '../../lib/domain/sms-text.js';
import { signInCodeSubject } from '../../lib/domain/sign-in.js';
import { isAppError } from '../../lib/domain/errors.js';

describe('the buyer\'s wallet rules (docs/buyer-guide.md#me--the-buyers-wallet-page)', () => {
  const userId = 'usr_0123456789abcdefghijklmn' as const;

  it('answers a frozen wallet with 409 wallet_frozen (the rule itself is tp_payer_wallet\'s, tested in test/sql)', () => {
    const err = frozenError();
    assert.ok(isAppError(err) && err.code === 'wallet_frozen' && err.status === 409);
  });

  it('lets only an operator or a passkey sign-in unfreeze, never an SMS-code session', () => {
    assert.equal(mayUnfreeze({ kind: 'sms_session', userId, ip: null }), false);
    assert.equal(mayUnfreeze({ kind: 'passkey', userId, ip: null }), true);
    assert.equal(mayUnfreeze({ kind: 'operator', userId, email: 'ops@example.com', ip: null }), true);
  });

  it('reads a capture as the payment it completes; payments and refunds have receipts', () => {
    assert.equal(entryTypeOf('capture'), 'payment');
    assert.equal(entryTypeOf('voucher'), 'voucher');
    assert.deepEqual(['payment', 'refund', 'topup', 'voucher', 'hold', 'hold_released'].filter(hasReceipt), ['payment', 'refund']);
  });

  it('writes the sign-in SMS with the origin-bound WebOTP line, in the buyer\'s language', () => {
    assert.equal(signInSmsText({ code: '0427', host: 'pay.example.com' }), '0427 is your code to sign in to telepurse. Do not share it.\n\n@pay.example.com #0427');
    assert.match(signInSmsText({ code: '0427', host: 'pay.example.com', lang: 'ar' }), /^0427 .*\n\n@pay\.example\.com #0427$/s);
  });

  it('derives sign-in codes under a name no payment id can take', () => {
    assert.equal(signInCodeSubject('79031234567'), 'me:79031234567');
  });
});
