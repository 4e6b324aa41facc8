import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { assertLedgerClean, walletBalance } from '../helpers/payments.js';
import { minor, uniquePhone } from '../helpers/builders.js';
import { query } from '../../lib/postgres/db.js';
import { cashIn, type CashInInput } from '../../lib/use-cases/buyers/cash-in.js';
import { createWallet } from '../../lib/use-cases/buyers/create-wallet.js';
import type { AppError } from '../../lib/domain/errors.js';
import type { UserId } from '../../lib/domain/ids.js';
import { createOperator } from '../../lib/use-cases/console/operators.js';

describe('cash-in at the cashier desk', function () {
  this.timeout(30_000);
  const t = useTestApp({ config: { cashierTopupPerDay: '100.00' } });
  let n = 0;
  const input = async (over: Partial<CashInInput> = {}): Promise<CashInInput> => {
    const phone = over.phone ?? uniquePhone();
    if (!over.phone) await createWallet(t.app.deps, { currency: 'USD', mode: 'live', phone });
    return { cashierId: cashiers.desk!, cashierEmail: 'desk@op.example', phone, currency: 'USD', amount: minor('10.00'), idempotencyKey: `k${++n}`, ip: '203.0.113.9', ...over };
  };
  const failure = (p: Promise<unknown>) => p.then(() => 'ok', (e: AppError) => e.code);
  const cashiers: Record<string, UserId> = {};
  before(async () => {
    for (const name of ['a', 'b', 'c', 'other', 'desk']) cashiers[name] = (await createOperator(t.app.deps, { email: `${name}@op.example`, role: 'cashier' }, 'test')).id;
  });

  it('tops up the live wallet of a phone, audited with the cashier, once per Idempotency-Key', async () => {
    const req = await input({ cashierId: cashiers.a! });
    const first = await cashIn(t.app.deps, req);
    assert.deepEqual([first.amount, first.balance, first.replayed], [1000n, 1000n, false]);
    const again = await cashIn(t.app.deps, req);
    assert.deepEqual([again.transferId, again.replayed], [first.transferId, true]);
    assert.equal(await walletBalance(t, first.purse), '10.00');
    const audit = await query<{ audience: string; email: string; action: string; target: string; ip: string; details: { amount: string } }>(
      t.database.db, `select * from audit_log where user_id = ?`, [cashiers.a!]);
    assert.equal(audit.length, 1, 'the replay is not audited again');
    assert.deepEqual([audit[0]!.audience, audit[0]!.email, audit[0]!.action, audit[0]!.target, audit[0]!.ip, audit[0]!.details.amount], ['console', 'desk@op.example', 'wallet.cash_in', first.purse, '203.0.113.9', '10.00']);
    const [transfer] = await query<{ kind: string; key: string }>(t.database.db, 'select kind, key from transfers where id = ?', [first.transferId]);
    assert.equal(transfer!.kind, 'topup');
    assert.ok(transfer!.key.startsWith(`topup:${first.purse}:cashin:${cashiers.a}:`));
    await assertLedgerClean(t);
  });

  it('refuses with 403 cashier_limit past the daily limit per cashier and currency; a new UTC day starts again', async () => {
    assert.equal(await failure(cashIn(t.app.deps, await input({ cashierId: cashiers.b!, amount: minor('60.00') }))), 'ok');
    assert.equal(await failure(cashIn(t.app.deps, await input({ cashierId: cashiers.b!, amount: minor('40.00') }))), 'ok');
    const over = await input({ cashierId: cashiers.b!, amount: minor('0.01') });
    assert.equal(await failure(cashIn(t.app.deps, over)), 'cashier_limit');
    assert.equal(await walletBalance(t, (await query<{ purse: string }>(t.database.db, 'select purse from wallets where phone = ?', [over.phone]))[0]!.purse), '0.00');
    assert.equal(await failure(cashIn(t.app.deps, await input({ cashierId: cashiers.other!, amount: minor('0.01') }))), 'ok', 'another cashier has his own limit');
    assert.equal(await failure(cashIn(t.app.deps, await input({ cashierId: cashiers.b!, currency: 'EUR', phone: await eurPhone() }))), 'ok', 'another currency too');
    const midnight = new Date(t.clock.now());
    midnight.setUTCHours(24, 0, 0, 0);
    t.clock.advance(midnight.getTime() - t.clock.now().getTime());
    assert.equal(await failure(cashIn(t.app.deps, over)), 'ok');
  });

  it('lets only as many parallel cash-ins through as the limit allows', async () => {
    const requests = await Promise.all(Array.from({ length: 8 }, () => input({ cashierId: cashiers.c!, amount: minor('25.00') })));
    const outcomes = await Promise.all(requests.map((r) => failure(cashIn(t.app.deps, r))));
    assert.equal(outcomes.filter((o) => o === 'ok').length, 4);
    assert.equal(outcomes.filter((o) => o === 'cashier_limit').length, 4);
    const [{ total }] = await query<{ total: bigint }>(t.database.db, `select total from cashier_day_totals where cashier_id = ?`, [cashiers.c!]) as [{ total: bigint }];
    assert.equal(total, 10000n);
    await assertLedgerClean(t);
  });

  it('refuses a phone without a live wallet', async () => {
    assert.equal(await failure(cashIn(t.app.deps, await input({ phone: uniquePhone() }))), 'no_wallet');
  });

  async function eurPhone() {
    const phone = uniquePhone();
    await createWallet(t.app.deps, { currency: 'EUR', mode: 'live', phone });
    return phone;
  }
});
