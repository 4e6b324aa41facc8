import type { Knex } from 'knex';

// An SMS whose request left for the gateway with no clear answer back may have gone out: it is
// 'unknown', never sent again, and counts against the limits as a sent one does.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table sms_messages drop constraint sms_messages_status_check;
    alter table sms_messages add constraint sms_messages_status_check check (status in ('queued', 'sent', 'delivered', 'failed', 'unknown'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    update sms_messages set status = 'sent' where status = 'unknown';
    alter table sms_messages drop constraint sms_messages_status_check;
    alter table sms_messages add constraint sms_messages_status_check check (status in ('queued', 'sent', 'delivered', 'failed'));
  `);
}
