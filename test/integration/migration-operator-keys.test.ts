import assert from 'node:assert/strict';
import { migratorConfig, query } from '../../lib/postgres/db.js';
import { useDatabaseBefore } from '../helpers/database-before.js';

const OWNER = '20261202000000_idempotency_keys_of_operator.ts';

/** Idempotency-Key on the operator API: the merchants' keys stay theirs, the operator's are kept beside them. */
describe('migration: Idempotency-Keys of the operator', () => {
  const t = useDatabaseBefore(`telepurse_migration_operator_keys_${process.pid}`, OWNER);
  const insertKey = (column: 'merchant_id' | 'owner', owner: string, key: string) => query(t.db,
    `insert into idempotency_keys (${column}, key, fingerprint, state, created_at, locked_until, expires_at)
     values (?, ?, 'f', 'done', now(), now(), now() + interval '1 day')`, [owner, key]);
  const keys = async () => (await query<{ key: string }>(t.db, 'select key from idempotency_keys order by key')).map((r) => r.key);

  it("keeps every merchant's key, takes the operator's, and going back drops only the operator's", async () => {
    await query(t.db, `insert into merchants (id, name, mode, holder_id, created_at) values ('mch_keys', 'Keys', 'live', '123456789012', now())`);
    await insertKey('merchant_id', 'mch_keys', 'merchant-key');
    await assert.rejects(insertKey('merchant_id', 'operator', 'before'), /foreign key/, 'before: only merchants own keys');

    await t.db.migrate.up(migratorConfig);
    await insertKey('owner', 'operator', 'operator-key');
    assert.deepEqual(await keys(), ['merchant-key', 'operator-key']);
    const [kept] = await query<{ owner: string }>(t.db, "select owner from idempotency_keys where key = 'merchant-key'");
    assert.equal(kept!.owner, 'mch_keys');

    await t.db.migrate.down(migratorConfig);
    assert.deepEqual(await keys(), ['merchant-key'], "only the operator's key is gone");
    await assert.rejects(insertKey('merchant_id', 'mch_nobody', 'x'), /foreign key/, 'the foreign key is back');
    await t.db.migrate.up(migratorConfig);
  });
});
