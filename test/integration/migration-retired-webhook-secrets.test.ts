import assert from 'node:assert/strict';
import { migratorConfig, query } from '../../lib/postgres/db.js';
import { useDatabaseBefore } from '../helpers/database-before.js';

const RETIRED = '20261206140000_retired_webhook_secrets.ts';

/** Issue 29: the one previous webhook secret becomes a list of retired ones, each with the end of its 24 h. */
describe('migration: retired webhook secrets', () => {
  const t = useDatabaseBefore(`telepurse_migration_retired_secrets_${process.pid}`, RETIRED);

  it('moves a previous webhook secret into the list with its window, and going back keeps the newest', async () => {
    await query(t.db, `insert into merchants (id, name, mode, holder_id, created_at) values ('mch_ret', 'Retired', 'live', '123456789013', now())`);
    const shop = (id: string, previous: string | null, rotatedAt: string | null) => query(t.db,
      `insert into shops (id, merchant_id, name, secret_key, webhook_secret, previous_webhook_secret, webhook_secret_rotated_at, hash_method, success_method, fail_method, created_at)
       values (?, 'mch_ret', 'Shop', 'v1.x.y', 'v1.cur.y', ?, ?, 'sha256', 'GET', 'GET', now())`, [id, previous, rotatedAt]);
    await shop('shp_rotated', 'v1.prev.y', '2026-12-01T10:00:00Z');
    await shop('shp_never', null, null);

    await t.db.migrate.up(migratorConfig);
    const rows = await query<{ id: string; retired: { sealed: string; until: string }[] }>(t.db, 'select id, retired_webhook_secrets as retired from shops order by id');
    assert.deepEqual(rows.map((r) => [r.id, r.retired.map((e) => [e.sealed, Date.parse(e.until)])]), [
      ['shp_never', []],
      ['shp_rotated', [['v1.prev.y', Date.parse('2026-12-02T10:00:00Z')]]],
    ]);

    await query(t.db, `update shops set retired_webhook_secrets = ?::jsonb where id = 'shp_rotated'`,
      [JSON.stringify([{ sealed: 'v1.older.y', until: '2026-12-02T10:00:00Z' }, { sealed: 'v1.newer.y', until: '2026-12-02T20:00:00Z' }])]);
    await t.db.migrate.down(migratorConfig);
    const back = await query<{ id: string; previous: string | null }>(t.db, 'select id, previous_webhook_secret as previous from shops order by id');
    assert.deepEqual(back.map((r) => [r.id, r.previous]), [['shp_never', null], ['shp_rotated', 'v1.newer.y']]);
    await t.db.migrate.up(migratorConfig);
  });
});
