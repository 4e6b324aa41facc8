import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- spec §13: who hears of which events of a shop
    alter table shops add column alerts jsonb not null default '{"emails": [], "phones": [], "events": []}';

    -- alerts ride the notifications outbox: mail is a kind of its own, an SMS alert is an SMS of kind 'alert'
    alter table notifications drop constraint notifications_kind_check;
    alter table notifications add constraint notifications_kind_check check (kind in ('result', 'prerequest', 'webhook', 'sms', 'mail'));
    alter table sms_messages drop constraint sms_messages_kind_check;
    alter table sms_messages add constraint sms_messages_kind_check check (kind in ('code', 'link', 'refund', 'alert'));

    -- once per event and recipient, whatever writes it twice
    alter table notifications add column dedupe_key text;
    create unique index notifications_once on notifications (dedupe_key) where dedupe_key is not null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    delete from notification_attempts where notification_id in (select id from notifications where kind = 'mail');
    delete from notifications where kind = 'mail';
    drop index notifications_once;
    alter table notifications drop column dedupe_key;
    alter table notifications drop constraint notifications_kind_check;
    alter table notifications add constraint notifications_kind_check check (kind in ('result', 'prerequest', 'webhook', 'sms'));
    create temporary table alert_sms on commit drop as
      select n.id from notifications n where n.kind = 'sms' and n.body::jsonb->>'sms_id' in (select id from sms_messages where kind = 'alert');
    delete from notification_attempts where notification_id in (select id from alert_sms);
    delete from notifications where id in (select id from alert_sms);
    delete from sms_messages where kind = 'alert';
    alter table sms_messages drop constraint sms_messages_kind_check;
    alter table sms_messages add constraint sms_messages_kind_check check (kind in ('code', 'link', 'refund'));
    alter table shops drop column alerts;
  `);
}
