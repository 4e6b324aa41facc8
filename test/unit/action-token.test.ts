import assert from 'node:assert/strict';
import { ACTION_TOKEN_TTL_MS, actionTokenHash, issueActionToken } from '../../lib/domain/action-token.js';

describe('one-time action tokens (docs/merchant-guide.md#back-office "Acting once", pure)', () => {
  const now = new Date('2026-12-06T10:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);

  it('is accepted for its session and action, each rendering different, and hashed (never kept as it is)', () => {
    const token = issueActionToken('session-a', '/office/payments/pay_1/refund', now);
    const hash = actionTokenHash('session-a', '/office/payments/pay_1/refund', token, later(1000));
    assert.match(hash ?? '', /^[0-9a-f]{64}$/);
    assert.ok(!hash!.includes(token));
    assert.notEqual(issueActionToken('session-a', '/office/payments/pay_1/refund', now), token);
  });

  it('is refused for another session, another action, when altered, missing or too old', () => {
    const token = issueActionToken('session-a', '/office/keys', now);
    assert.equal(actionTokenHash('session-b', '/office/keys', token, now), undefined);
    assert.equal(actionTokenHash('session-a', '/office/users', token, now), undefined);
    assert.equal(actionTokenHash('session-a', '/office/keys', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, now), undefined);
    assert.equal(actionTokenHash('session-a', '/office/keys', null, now), undefined);
    assert.equal(actionTokenHash('session-a', '/office/keys', token, later(ACTION_TOKEN_TTL_MS + 1)), undefined);
    assert.ok(actionTokenHash('session-a', '/office/keys', token, later(ACTION_TOKEN_TTL_MS)));
  });
});
