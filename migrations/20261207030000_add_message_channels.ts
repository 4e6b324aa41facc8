import type { Knex } from 'knex';

// docs/merchant-guide.md#pay-links-by-whatsapp: a message goes by SMS or by WhatsApp (a template message);
// 'read' is WhatsApp's last status; a failed WhatsApp message falls back to one SMS (the unique index keeps it one).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table sms_messages add column channel text not null default 'sms' check (channel in ('sms', 'whatsapp'));
    alter table sms_messages add column template jsonb;
    alter table sms_messages add column fallback_of text references sms_messages (id);
    create unique index sms_messages_fallback_of on sms_messages (fallback_of) where fallback_of is not null;
    alter table sms_messages drop constraint sms_messages_status_check;
    alter table sms_messages add constraint sms_messages_status_check check (status in ('queued', 'sent', 'delivered', 'read', 'failed', 'unknown'));
    alter table dev_inbox add column channel text not null default 'sms' check (channel in ('sms', 'whatsapp'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table dev_inbox drop column channel;
    update sms_messages set status = 'delivered' where status = 'read';
    alter table sms_messages drop constraint sms_messages_status_check;
    alter table sms_messages add constraint sms_messages_status_check check (status in ('queued', 'sent', 'delivered', 'failed', 'unknown'));
    drop index sms_messages_fallback_of;
    alter table sms_messages drop column fallback_of;
    alter table sms_messages drop column template;
    alter table sms_messages drop column channel;
  `);
}
