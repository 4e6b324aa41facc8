import assert from 'node:assert/strict';
import { CONSOLE_ROLES, consoleCan, isConsoleUser, type ConsoleAction } from '../../lib/domain/console.js';
import type { User } from '../../lib/domain/user.js';

/** docs/operator-guide.md#operator-console: the console's role table. */
describe('console roles', () => {
  const all: ConsoleAction[] = ['read', 'read_audit', 'refund', 'fee', 'payout', 'topup', 'voucher', 'redeliver', 'lift_limits', 'freeze', 'suspend', 'manage_users', 'manage_operators', 'erase', 'cash_in'];
  const allowed = (role: (typeof CONSOLE_ROLES)[number]) => all.filter((a) => consoleCan(role, a));

  it('admin does everything', () => assert.deepEqual(allowed('admin'), all));
  it('finance: payouts, fees, top-ups, vouchers, refunds and every read', () => assert.deepEqual(allowed('finance'), ['read', 'read_audit', 'refund', 'fee', 'payout', 'topup', 'voucher']));
  it('support: every read, redeliver, lift limits, freeze and unfreeze', () => assert.deepEqual(allowed('support'), ['read', 'read_audit', 'redeliver', 'lift_limits', 'freeze']));
  it('cashier: only the wallet desk', () => assert.deepEqual(allowed('cashier'), ['cash_in']));

  it('an operator user is a console user with a console role and an e-mail', () => {
    const base = { id: 'usr_x', audience: 'console', merchantId: null, email: 'a@b.example', phone: null, role: 'finance' } as unknown as User;
    assert.equal(isConsoleUser(base), true);
    assert.equal(isConsoleUser({ ...base, audience: 'office' }), false);
    assert.equal(isConsoleUser({ ...base, role: 'owner' }), false);
  });
});
