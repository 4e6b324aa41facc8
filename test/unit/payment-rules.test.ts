import assert from 'node:assert/strict';
import { abandonedEnding, assertCanDo, canDo, canMove, outcomeOf, reportedAmount, type PaymentAction, type PaymentStatus } from '../../lib/domain/payment.js';
import { captureAmount } from '../../lib/domain/capture.js';
import { refundAmount } from '../../lib/domain/refund.js';
import { transferKeys } from '../../lib/domain/transfer-keys.js';
import { isAppError } from '../../lib/domain/errors.js';

const ALL: PaymentStatus[] = ['created', 'code_sent', 'authorized', 'succeeded', 'voided', 'failed', 'expired'];
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return isAppError(err) ? err.code : 'other';
  }
};

describe('payment rules (pure, no database)', () => {
  it('allows each action only from its states', () => {
    const allowed = (action: PaymentAction) => ALL.filter((s) => canDo(action, s));
    assert.deepEqual(allowed('send a code for'), ['created', 'code_sent']);
    assert.deepEqual(allowed('confirm'), ['code_sent']);
    assert.deepEqual(allowed('approve with a passkey'), ['created', 'code_sent']);
    assert.deepEqual(allowed('cancel'), ['created', 'code_sent']);
    assert.deepEqual(allowed('capture'), ['authorized']);
    assert.deepEqual(allowed('void'), ['authorized']);
    assert.deepEqual(allowed('refund'), ['succeeded']);
    assert.deepEqual(allowed('send a pay link for'), ['created']);
    assert.deepEqual(allowed('expire'), ['created', 'code_sent']);
    assert.equal(codeOf(() => assertCanDo('capture', 'succeeded')), 'invalid_state');
  });

  it('ends in no state it can leave', () => {
    for (const end of ['succeeded', 'voided', 'failed', 'expired'] as const) assert.deepEqual(ALL.filter((to) => canMove(end, to)), []);
    assert.deepEqual([outcomeOf('authorized'), outcomeOf('voided'), outcomeOf('code_sent')], ['success', 'fail', undefined]);
  });

  it('ends an abandoned payment as no_wallet only when its last phone had none and no code went out', () => {
    assert.deepEqual(abandonedEnding({ status: 'created', unknownPhone: '79031234567' }, 'cancel'), { status: 'failed', reason: 'no_wallet' });
    assert.deepEqual(abandonedEnding({ status: 'created', unknownPhone: '79031234567' }, 'expire'), { status: 'failed', reason: 'no_wallet' });
    assert.deepEqual(abandonedEnding({ status: 'code_sent', unknownPhone: '79031234567' }, 'expire'), { status: 'expired' });
    assert.deepEqual(abandonedEnding({ status: 'created', unknownPhone: null }, 'cancel'), { status: 'failed', reason: 'cancelled' });
  });

  it('captures at most what was authorized, and all of it by default', () => {
    assert.equal(captureAmount(1000n, undefined, 'USD'), 1000n);
    assert.equal(captureAmount(1000n, 1n, 'USD'), 1n);
    assert.equal(captureAmount(1000n, 1000n, 'USD'), 1000n);
    assert.equal(codeOf(() => captureAmount(1000n, 1001n, 'USD')), 'invalid_request');
    assert.equal(codeOf(() => captureAmount(1000n, 0n, 'USD')), 'invalid_request');
  });

  it('reports what was paid, or for manual capture what was captured', () => {
    assert.equal(reportedAmount({ captureMode: 'automatic', amount: 500n, amountCaptured: 500n }), 500n);
    assert.equal(reportedAmount({ captureMode: 'manual', amount: 500n, amountCaptured: 300n }), 300n);
  });

  it('refunds the rest by default, never more than is left, only succeeded payments, within the window', () => {
    const paidAt = new Date('2026-12-01T00:00:00Z');
    const p = { status: 'succeeded' as const, amountCaptured: 1000n, amountRefunded: 250n, paidAt, currency: 'USD' };
    assert.equal(refundAmount(p, undefined, paidAt, 90), 750n);
    assert.equal(refundAmount(p, 750n, paidAt, 90), 750n);
    assert.equal(codeOf(() => refundAmount(p, 751n, paidAt, 90)), 'refund_exceeds_payment');
    assert.equal(codeOf(() => refundAmount({ ...p, amountRefunded: 1000n }, undefined, paidAt, 90)), 'refund_exceeds_payment');
    assert.equal(codeOf(() => refundAmount({ ...p, status: 'authorized' }, undefined, paidAt, 90)), 'invalid_state');
    assert.equal(codeOf(() => refundAmount(p, undefined, new Date(paidAt.getTime() + 91 * 86_400_000), 90)), 'refund_window_closed');
  });

  it('keys a payment\'s money movement the same way wherever it happens', () => {
    assert.equal(transferKeys.payment('pay_x'), 'payment:pay_x');
    assert.notEqual(transferKeys.hold('pay_x'), transferKeys.payment('pay_x'));
    assert.notEqual(transferKeys.refund('pay_x', 'k1'), transferKeys.refund('pay_x', 'k2'));
  });
});
