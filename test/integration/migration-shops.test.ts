import assert from 'node:assert/strict';
import { migratorConfig, query } from '../../lib/postgres/db.js';
import { useDatabaseBefore } from '../helpers/database-before.js';

const SPLIT = '20261201120000_split_shops_from_merchants.ts';

/** docs/merchant-guide.md#shops-methods-and-keys: each existing merchant becomes a merchant with one shop carrying its settings, wallets and secrets. */
describe('migration: shops split from merchants', () => {
  const t = useDatabaseBefore(`telepurse_migration_shops_${process.pid}`, SPLIT);

  it('moves the settings, wallets and payments of an existing merchant to its shop, and back down', async () => {
    const at = new Date('2026-11-30T10:00:00Z');
    await query(t.db, `insert into merchants (id, name, mode, holder_id, secret_key, webhook_secret, hash_method, result_url, success_url, fail_url,
        webhook_url, allowed_hosts, success_method, fail_method, prerequest, require_signed_forms, allow_form_urls, capture_mode, created_at)
      values ('mch_legacy000000000000000001', 'Legacy Shop', 'live', '123456789012', 'v1.abcdef01.sealed-secret', 'v1.abcdef01.sealed-webhook',
        'md5', 'https://legacy.example.com/result', 'https://legacy.example.com/ok', null, null, '{cdn.legacy.example.com}', 'POST', 'GET',
        true, true, true, 'manual', ?)`, [at]);
    await query(t.db, `insert into wallets (purse, holder_id, currency, kind, mode, merchant_id, created_at)
      values ('Z000000000101', '123456789012', 'USD', 'merchant', 'live', 'mch_legacy000000000000000001', ?),
             ('Z000000000102', '210987654321', 'USD', 'customer', 'live', null, ?)`, [at, at]);
    await query(t.db, `insert into payments (id, merchant_id, payee_purse, currency, mode, amount, status, source, capture_mode, success_method,
        fail_method, created_at, updated_at, expires_at)
      values ('pay_legacy00000000000000001', 'mch_legacy000000000000000001', 'Z000000000101', 'USD', 'live', 500, 'created', 'api', 'manual',
        'POST', 'GET', ?, ?, ?)`, [at, at, at]);

    await t.db.migrate.up(migratorConfig);
    const [shop] = await query<Record<string, unknown>>(t.db, 'select * from shops');
    assert.deepEqual(
      { ...shop, created_at: undefined },
      {
        id: 'shp_legacy000000000000000001', merchant_id: 'mch_legacy000000000000000001', name: 'Legacy Shop', status: 'active',
        methods: ['code', 'link', 'manual_capture'], lang: 'en', secret_key: 'v1.abcdef01.sealed-secret', webhook_secret: 'v1.abcdef01.sealed-webhook',
        hash_method: 'md5', result_url: 'https://legacy.example.com/result', success_url: 'https://legacy.example.com/ok', fail_url: null,
        webhook_url: null, allowed_hosts: ['cdn.legacy.example.com'], success_method: 'POST', fail_method: 'GET', prerequest: true,
        require_signed_forms: true, allow_form_urls: true, capture_mode: 'manual', created_at: undefined,
      },
    );
    const wallets = await query<{ purse: string; shop_id: string | null }>(t.db, 'select purse, shop_id from wallets order by purse');
    assert.deepEqual(wallets, [{ purse: 'Z000000000101', shop_id: 'shp_legacy000000000000000001' }, { purse: 'Z000000000102', shop_id: null }]);
    const [payment] = await query<{ shop_id: string }>(t.db, 'select shop_id from payments');
    assert.equal(payment!.shop_id, 'shp_legacy000000000000000001');
    const merchantColumns = (await query<{ column_name: string }>(t.db, `select column_name from information_schema.columns where table_name = 'merchants'`)).map((c) => c.column_name);
    assert.ok(!merchantColumns.includes('secret_key') && !merchantColumns.includes('result_url'), 'the settings left the merchant');

    await t.db.migrate.down(migratorConfig);
    const [restored] = await query<Record<string, unknown>>(t.db, `select secret_key, hash_method, result_url, allowed_hosts, success_method, prerequest,
      allow_form_urls, capture_mode from merchants`);
    assert.deepEqual(restored, {
      secret_key: 'v1.abcdef01.sealed-secret', hash_method: 'md5', result_url: 'https://legacy.example.com/result', allowed_hosts: ['cdn.legacy.example.com'],
      success_method: 'POST', prerequest: true, allow_form_urls: true, capture_mode: 'manual',
    });
    const tables = (await query<{ table_name: string }>(t.db, `select table_name from information_schema.tables where table_name = 'shops'`));
    assert.deepEqual(tables, []);
  });
});
