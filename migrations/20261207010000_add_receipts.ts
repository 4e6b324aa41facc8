import type { Knex } from 'knex';

// docs/buyer-guide.md#receipts: the buyer's receipt of a payment. Its token is never stored: only its SHA-256 (for the page's
// lookup) and the id of the secret it was derived with (so the outbox and /me can derive it again after a rotation).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table receipts (
      payment_id text primary key references payments(id),
      token_hash text not null unique,
      secret_id text not null,
      created_at timestamptz not null
    );
    alter table payments add column buyer_email text check (buyer_email is null or length(buyer_email) <= 254);
    alter table shops add column receipt_channel text not null default 'sms' check (receipt_channel in ('sms', 'whatsapp', 'none'));
  `);
  // the kinds another migration may have added stay: 'receipt' is added to whatever list holds now
  const [row] = (await knex.raw(`select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'sms_messages_kind_check'`)).rows as { def: string }[];
  const kinds = new Set([...(row?.def.matchAll(/'([a-z_]+)'/g) ?? [])].map((m) => m[1]!));
  kinds.add('receipt');
  await knex.raw(`alter table sms_messages drop constraint if exists sms_messages_kind_check`);
  await knex.raw(`alter table sms_messages add constraint sms_messages_kind_check check (kind in (${[...kinds].map((k) => `'${k}'`).join(', ')}))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    delete from sms_messages where kind = 'receipt';
    alter table sms_messages drop constraint sms_messages_kind_check;
    alter table sms_messages add constraint sms_messages_kind_check check (kind in ('code', 'link', 'refund', 'alert'));
    alter table shops drop column receipt_channel;
    alter table payments drop column buyer_email;
    drop table receipts;
  `);
}
