import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- secrets the service generates for itself when the operator gave none (outside production): one per name for every instance
    create table service_secrets (
      name text primary key,
      value text not null,
      created_at timestamptz not null default now()
    );

    -- the hosted page's steps belong to the browser that took the first one (SHA-256 of its cookie)
    alter table payments add column browser_hash text;
    -- the phone the merchant's pre-request approved: a code goes only to that phone
    alter table payments add column prerequest_phone text;
    -- the last phone the buyer typed that has no wallet: the payment stays open, and fails as no_wallet if abandoned
    alter table payments add column unknown_phone text;

    alter table merchants add column allow_form_urls boolean not null default false;
    alter table notifications add column redeliveries int not null default 0;

    -- the hold-expiry job and the order-number look-ups
    create index payments_authorized_by_hold on payments (hold_id) where status = 'authorized';
    create index payments_by_merchant_order on payments (merchant_id, payment_no) where payment_no is not null;
    -- refund SMS counted per phone and day
    create index sms_messages_by_phone_kind on sms_messages (phone, mode, kind, created_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index sms_messages_by_phone_kind;
    drop index payments_by_merchant_order;
    drop index payments_authorized_by_hold;
    alter table notifications drop column redeliveries;
    alter table merchants drop column allow_form_urls;
    alter table payments drop column unknown_phone;
    alter table payments drop column prerequest_phone;
    alter table payments drop column browser_hash;
    drop table service_secrets;
  `);
}
