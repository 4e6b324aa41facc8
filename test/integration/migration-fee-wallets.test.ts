import assert from 'node:assert/strict';
import { migratorConfig, query } from '../../lib/postgres/db.js';
import { useDatabaseBefore } from '../helpers/database-before.js';
import { FEE_WALLET_SHARDS, feePurse } from '../../lib/domain/wallet.js';

const SHARDS = '20261201220000_shard_fee_wallets.ts';

/** The fee wallet kept in 32 accounts (docs/merchant-guide.md#fees): the fees already charged stay where they are, in the wallet's own purse. */
describe('migration: the fee wallet in several accounts', () => {
  const t = useDatabaseBefore(`telepurse_migration_fee_wallets_${process.pid}`, SHARDS);
  const accounts = async () => query<{ currency: string; mode: string; n: number; total: bigint }>(t.db,
    `select currency, mode, count(*)::int as n, sum(balance)::bigint as total from wallets where kind = 'fees' group by currency, mode order by 1, 2`);

  it('adds the accounts of every currency and mode beside the one that holds the fees so far, and rolls back while they are unused', async () => {
    // fees charged before: only the balance matters to this migration (the ledger's postings are not its business)
    await query(t.db, `update wallets set balance = 4321 where purse = ?`, [feePurse('USD', 'live')]);
    const before = await accounts();
    assert.ok(before.length === 8 && before.every((a) => a.n === 1), 'one account per currency and mode');

    await t.db.migrate.up(migratorConfig);
    const after = await accounts();
    assert.deepEqual(after.map((a) => [a.currency, a.mode, a.n]), before.map((a) => [a.currency, a.mode, FEE_WALLET_SHARDS]));
    assert.deepEqual(after.map((a) => a.total), before.map((a) => a.total), 'no money moved');
    const usd = await query<{ purse: string; balance: bigint }>(t.db, `select purse, balance from wallets where kind = 'fees' and currency = 'USD' and mode = 'live' order by purse`);
    assert.deepEqual(usd.map((w) => w.purse), Array.from({ length: FEE_WALLET_SHARDS }, (_, k) => feePurse('USD', 'live', k)));
    assert.deepEqual(usd.map((w) => w.balance), [4321n, ...Array(FEE_WALLET_SHARDS - 1).fill(0n)], 'the fees so far stay in the wallet\'s own purse');

    await t.db.migrate.down(migratorConfig);
    assert.deepEqual((await accounts()).map((a) => a.n), before.map(() => 1));
    await t.db.migrate.up(migratorConfig);
  });
});
