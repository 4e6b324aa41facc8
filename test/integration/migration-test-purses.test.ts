import assert from 'node:assert/strict';
import { migratorConfig, query } from '../../lib/postgres/db.js';
import { useDatabaseBefore } from '../helpers/database-before.js';

const TEST_PURSES = '20261207100000_test_purses_for_every_shop.ts';

type Row = { merchant: string; shop: string; currency: string; mode: string; holder: string; purse: string };

/** Issue 34: a live merchant's shops gain a test purse per currency; a test merchant's purses are already its test purses. */
describe('migration: test purses for every shop', () => {
  const t = useDatabaseBefore(`telepurse_migration_test_purses_${process.pid}`, TEST_PURSES);
  const purses = () => query<Row>(t.db,
    `select merchant_id as merchant, shop_id as shop, currency, mode, holder_id as holder, purse from wallets where kind = 'merchant' order by merchant_id, currency, mode`);

  it('adds a test purse beside each live one, leaves a test merchant as it was, and going back removes only the unused ones', async () => {
    const merchant = (id: string, mode: string, holder: string) =>
      query(t.db, `insert into merchants (id, name, mode, holder_id, created_at) values (?, 'M', ?, ?, now())`, [id, mode, holder]);
    const shop = (id: string, merchantId: string) => query(t.db,
      `insert into shops (id, merchant_id, name, secret_key, webhook_secret, hash_method, success_method, fail_method, created_at)
       values (?, ?, 'Shop', 'v1.x.y', 'v1.w.y', 'sha256', 'GET', 'GET', now())`, [id, merchantId]);
    const wallet = (purse: string, currency: string, mode: string, holder: string, merchantId: string, shopId: string) => query(t.db,
      `insert into wallets (purse, holder_id, currency, kind, mode, merchant_id, shop_id, created_at) values (?, ?, ?, 'merchant', ?, ?, ?, now())`,
      [purse, holder, currency, mode, merchantId, shopId]);
    await merchant('mch_old_test', 'test', '111111111111');
    await shop('shp_old_test', 'mch_old_test');
    await wallet('Z111111111111', 'USD', 'test', '111111111111', 'mch_old_test', 'shp_old_test');
    await merchant('mch_live', 'live', '222222222222');
    await shop('shp_live', 'mch_live');
    await wallet('Z222222222222', 'USD', 'live', '222222222222', 'mch_live', 'shp_live');
    await wallet('E222222222222', 'EUR', 'live', '222222222222', 'mch_live', 'shp_live');

    await t.db.migrate.up(migratorConfig);
    const after = await purses();
    assert.deepEqual(after.map((r) => [r.merchant, r.shop, r.currency, r.mode, r.holder]), [
      ['mch_live', 'shp_live', 'EUR', 'live', '222222222222'],
      ['mch_live', 'shp_live', 'EUR', 'test', '222222222222'],
      ['mch_live', 'shp_live', 'USD', 'live', '222222222222'],
      ['mch_live', 'shp_live', 'USD', 'test', '222222222222'],
      ['mch_old_test', 'shp_old_test', 'USD', 'test', '111111111111'],
    ]);
    for (const r of after) assert.match(r.purse, r.currency === 'USD' ? /^Z\d{12}$/ : /^E\d{12}$/);
    assert.ok(after.filter((r) => r.mode === 'test' && r.merchant === 'mch_live').every((r) => !r.purse.slice(1).startsWith('000000000')));
    // the test merchant keeps its one purse, the very same
    assert.equal(after.find((r) => r.merchant === 'mch_old_test')!.purse, 'Z111111111111');
    // one purse per shop, currency and mode: a second test USD purse is refused
    await assert.rejects(wallet('Z333333333333', 'USD', 'test', '222222222222', 'mch_live', 'shp_live'), /wallets_one_per_shop_currency_mode/);

    await t.db.migrate.down(migratorConfig);
    assert.deepEqual((await purses()).map((r) => [r.merchant, r.currency, r.mode]), [['mch_live', 'EUR', 'live'], ['mch_live', 'USD', 'live'], ['mch_old_test', 'USD', 'test']]);
    await t.db.migrate.up(migratorConfig);
    assert.equal((await purses()).length, 5);
  });
});
