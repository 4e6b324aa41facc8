import assert from 'node:assert/strict';
import { migratorConfig, query } from '../../lib/postgres/db.js';
import { useDatabaseBefore } from '../helpers/database-before.js';

const PAYOUTS = '20261201150000_add_balance_transactions_and_payouts.ts';

/** docs/merchant-guide.md#balance-payouts-and-statements: money already in merchant wallets gets an opening balance transaction, so Σ net = balance from the first day. */
describe('migration: balance transactions and payouts', () => {
  const t = useDatabaseBefore(`telepurse_migration_payouts_${process.pid}`, PAYOUTS);

  it('opens each merchant wallet with an adjustment equal to its balance, settings default as docs/merchant-guide.md#balance-payouts-and-statements says, and rolls back', async () => {
    const at = new Date('2026-11-30T10:00:00Z');
    await query(t.db, `insert into merchants (id, name, mode, holder_id, created_at) values ('mch_old000000000000000000001', 'Old Shop', 'live', '123456789012', ?)`, [at]);
    await query(t.db, `insert into shops (id, merchant_id, name, secret_key, webhook_secret, hash_method, success_method, fail_method, created_at)
      values ('shp_old000000000000000000001', 'mch_old000000000000000000001', 'Old Shop', 'v1.x.y', 'v1.x.z', 'sha256', 'POST', 'POST', ?)`, [at]);
    await query(t.db, `insert into wallets (purse, holder_id, currency, kind, mode, merchant_id, shop_id, balance, created_at)
      values ('Z100000000101', '123456789012', 'USD', 'merchant', 'live', 'mch_old000000000000000000001', 'shp_old000000000000000000001', 1250, ?),
             ('E100000000102', '123456789012', 'EUR', 'merchant', 'live', 'mch_old000000000000000000001', 'shp_old000000000000000000001', 0, ?),
             ('Z100000000103', '210987654321', 'USD', 'customer', 'live', null, null, 700, ?)`, [at, at, at]);

    await t.db.migrate.up(migratorConfig);
    const txns = await query<{ purse: string; type: string; amount: bigint; net: bigint; payout_id: string | null }>(t.db,
      'select purse, type, amount, net, payout_id from balance_transactions order by purse');
    assert.deepEqual(txns, [{ purse: 'Z100000000101', type: 'adjustment', amount: 1250n, net: 1250n, payout_id: null }]);
    const [merchant] = await query<Record<string, unknown>>(t.db, 'select payout_schedule, payout_minimum, payout_delay_days, payout_account from merchants');
    assert.deepEqual(merchant, { payout_schedule: 'weekly', payout_minimum: 100n, payout_delay_days: 7, payout_account: null });

    await t.db.migrate.down(migratorConfig);
    const [{ exists }] = (await query<{ exists: boolean }>(t.db, `select to_regclass('balance_transactions') is not null as exists`)) as [{ exists: boolean }];
    assert.equal(exists, false);
    await t.db.migrate.up(migratorConfig);
  });
});
