import type { Knex } from 'knex';

// the payment settings that move from the merchant (the account) to its shops (spec §9)
const SETTINGS = `secret_key, webhook_secret, hash_method, result_url, success_url, fail_url, webhook_url, allowed_hosts,
  success_method, fail_method, prerequest, require_signed_forms, allow_form_urls, capture_mode`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table shops (
      id text primary key,
      merchant_id text not null references merchants (id),
      name text not null check (length(name) between 1 and 100),
      status text not null default 'active' check (status in ('active', 'disabled')),
      methods text[] not null default '{code,link,manual_capture}'
        check (cardinality(methods) > 0 and methods <@ array['code', 'link', 'manual_capture']),
      lang text not null default 'en',
      -- sealed with DATA_KEY (lib/domain/sealed-secrets.ts)
      secret_key text not null,
      webhook_secret text not null,
      hash_method text not null check (hash_method in ('sha256', 'md5')),
      result_url text,
      success_url text,
      fail_url text,
      webhook_url text,
      allowed_hosts text[] not null default '{}',
      success_method text not null check (success_method in ('GET', 'POST', 'LINK')),
      fail_method text not null check (fail_method in ('GET', 'POST', 'LINK')),
      prerequest boolean not null default false,
      require_signed_forms boolean not null default false,
      allow_form_urls boolean not null default false,
      capture_mode text not null default 'automatic' check (capture_mode in ('automatic', 'manual')),
      created_at timestamptz not null
    );
    create index shops_by_merchant on shops (merchant_id, created_at);

    -- every merchant becomes a merchant with one shop carrying its settings; the shop id keeps the merchant's suffix
    insert into shops (id, merchant_id, name, ${SETTINGS}, created_at)
      select 'shp_' || substr(id, 5), id, name, ${SETTINGS}, created_at from merchants;

    alter table wallets add column shop_id text references shops (id);
    update wallets set shop_id = 'shp_' || substr(merchant_id, 5) where merchant_id is not null;
    alter table wallets add constraint wallets_shop_owns_merchant_wallets check ((kind = 'merchant') = (shop_id is not null));
    -- one payee purse per currency and shop
    create unique index wallets_one_per_shop_currency on wallets (shop_id, currency) where shop_id is not null;

    alter table payments add column shop_id text references shops (id);
    update payments p set shop_id = w.shop_id from wallets w where w.purse = p.payee_purse;
    alter table payments alter column shop_id set not null;
    create index payments_by_shop on payments (shop_id, invoice_no desc);

    alter table notifications add column shop_id text references shops (id);
    update notifications n set shop_id = p.shop_id from payments p where p.id = n.payment_id;

    alter table merchants drop column secret_key, drop column webhook_secret, drop column hash_method, drop column result_url,
      drop column success_url, drop column fail_url, drop column webhook_url, drop column allowed_hosts, drop column success_method,
      drop column fail_method, drop column prerequest, drop column require_signed_forms, drop column allow_form_urls, drop column capture_mode;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table merchants
      add column secret_key text, add column webhook_secret text, add column hash_method text, add column result_url text,
      add column success_url text, add column fail_url text, add column webhook_url text, add column allowed_hosts text[] not null default '{}',
      add column success_method text, add column fail_method text, add column prerequest boolean not null default false,
      add column require_signed_forms boolean not null default false, add column allow_form_urls boolean not null default false,
      add column capture_mode text not null default 'automatic';
    -- a merchant takes back the settings of its first shop
    update merchants m set (${SETTINGS}) = (
      select ${SETTINGS} from shops s where s.merchant_id = m.id order by s.created_at, s.id limit 1);
    alter table merchants alter column secret_key set not null, alter column webhook_secret set not null,
      alter column hash_method set not null, alter column success_method set not null, alter column fail_method set not null,
      add constraint merchants_hash_method check (hash_method in ('sha256', 'md5')),
      add constraint merchants_success_method check (success_method in ('GET', 'POST', 'LINK')),
      add constraint merchants_fail_method check (fail_method in ('GET', 'POST', 'LINK')),
      add constraint merchants_capture_mode check (capture_mode in ('automatic', 'manual'));

    alter table notifications drop column shop_id;
    drop index payments_by_shop;
    alter table payments drop column shop_id;
    drop index wallets_one_per_shop_currency;
    alter table wallets drop constraint wallets_shop_owns_merchant_wallets;
    alter table wallets drop column shop_id;
    drop table shops;
  `);
}
