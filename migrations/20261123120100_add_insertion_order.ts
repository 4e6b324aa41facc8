import type { Knex } from 'knex';

// Rows written at the same instant (one transaction, or a test clock) still list in the order they were written.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table notifications add column seq bigint generated always as identity;
    alter table sms_messages add column seq bigint generated always as identity;
    create index sms_messages_by_phone_seq on sms_messages (phone, mode, seq desc);
    drop index sms_messages_by_phone;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    create index sms_messages_by_phone on sms_messages (phone, mode, created_at desc);
    drop index sms_messages_by_phone_seq;
    alter table sms_messages drop column seq;
    alter table notifications drop column seq;
  `);
}
