import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table merchants (
      id text primary key,
      name text not null check (length(name) between 1 and 100),
      mode text not null check (mode in ('live', 'test')),
      holder_id text not null check (holder_id ~ '^[0-9]{12}$'),
      -- needed in the clear to compute LMI_HASH and to sign webhooks; API keys are only hashed
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
      capture_mode text not null default 'automatic' check (capture_mode in ('automatic', 'manual')),
      created_at timestamptz not null
    );

    create table api_keys (
      id text primary key,
      merchant_id text not null references merchants (id),
      mode text not null check (mode in ('live', 'test')),
      prefix text not null,
      key_hash text not null unique,
      created_at timestamptz not null,
      revoked_at timestamptz
    );
    create index api_keys_by_merchant on api_keys (merchant_id);

    alter table wallets add constraint wallets_merchant_fk foreign key (merchant_id) references merchants (id);
    alter table wallets add constraint wallets_merchant_owns_merchant_wallets
      check ((kind = 'merchant') = (merchant_id is not null));
    create index wallets_by_merchant on wallets (merchant_id) where merchant_id is not null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table wallets drop constraint wallets_merchant_owns_merchant_wallets;
    alter table wallets drop constraint wallets_merchant_fk;
    drop index wallets_by_merchant;
    drop table api_keys;
    drop table merchants;
  `);
}
