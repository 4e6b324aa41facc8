import assert from 'node:assert/strict';
import { resendCooldownLeft } from '../../lib/domain/code-policy.js';

const now = new Date('2026-12-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('code policy (pure, no database)', () => {
  it('counts the resend cooldown down from 30 s', () => {
    assert.equal(resendCooldownLeft(now, now), 30);
    assert.equal(resendCooldownLeft(ago(29), now), 1);
    assert.equal(resendCooldownLeft(ago(30), now), 0);
  });
});
