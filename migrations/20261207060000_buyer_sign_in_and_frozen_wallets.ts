import type { Knex } from 'knex';

// docs/buyer-guide.md#me-the-buyers-wallet-page: a frozen wallet refuses payments ("I lost my phone"); buyers sign in at
// /me with an SMS code, kept as payment codes are (an HOTP counter, never the code), counted in the same per-phone caps
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table wallets add column status text not null default 'active' check (status in ('active', 'frozen'));
    alter table wallets add column frozen_at timestamptz;
    alter table wallets add constraint wallets_frozen_at check ((status = 'frozen') = (frozen_at is not null));

    create table sign_in_codes (
      id bigint generated always as identity primary key,
      phone text not null check (phone ~ '^[1-9][0-9]{6,14}$'),
      counter bigint not null,
      secret_id text not null,
      sent_at timestamptz not null,
      expires_at timestamptz not null,
      wrong_tries integer not null default 0,
      status text not null default 'live' check (status in ('live', 'used', 'dead')),
      delivery text not null default 'pending' check (delivery in ('pending', 'sent', 'failed'))
    );
    -- the phone's newest code (the check, the cooldown) and its sends in the last hour (the per-phone cap)
    create index sign_in_codes_by_phone on sign_in_codes (phone, id desc);
    create index sign_in_codes_by_phone_sent on sign_in_codes (phone, sent_at);

    -- /me lists a wallet's holds (placed and released) beside its postings
    create index holds_by_purse on holds (purse, created_at);

    -- a wrong sign-in code counts against the phone as a wrong payment code does; it has no payment
    alter table phone_wrong_tries alter column payment_id drop not null;
  `);
  // the kinds other migrations added stay: 'sign_in' joins whatever list holds now
  const [row] = (await knex.raw(`select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'sms_messages_kind_check'`)).rows as { def: string }[];
  const kinds = new Set([...(row?.def.matchAll(/'([a-z_]+)'/g) ?? [])].map((m) => m[1]!));
  kinds.add('sign_in');
  await knex.raw(`alter table sms_messages drop constraint if exists sms_messages_kind_check`);
  await knex.raw(`alter table sms_messages add constraint sms_messages_kind_check check (kind in (${[...kinds].map((k) => `'${k}'`).join(', ')}))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`delete from sms_messages where kind = 'sign_in'`);
  const [row] = (await knex.raw(`select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'sms_messages_kind_check'`)).rows as { def: string }[];
  const kinds = [...(row?.def.matchAll(/'([a-z_]+)'/g) ?? [])].map((m) => m[1]!).filter((k) => k !== 'sign_in');
  await knex.raw(`alter table sms_messages drop constraint sms_messages_kind_check`);
  await knex.raw(`alter table sms_messages add constraint sms_messages_kind_check check (kind in (${kinds.map((k) => `'${k}'`).join(', ')}))`);
  await knex.raw(`
    delete from phone_wrong_tries where payment_id is null;
    alter table phone_wrong_tries alter column payment_id set not null;
    drop table sign_in_codes;
    drop index holds_by_purse;
    alter table wallets drop constraint wallets_frozen_at;
    alter table wallets drop column frozen_at;
    alter table wallets drop column status;
  `);
}
