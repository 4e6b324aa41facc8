import type { Knex } from 'knex';

// docs/operator-guide.md#personal-data-what-is-kept-for-how-long-and-why: old payments keep only the last 2 digits of their phone
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table payments drop constraint payments_phone_check;
    alter table payments add constraint payments_phone_check check (phone ~ '^[1-9][0-9]{6,14}$' or phone ~ '^[*]{5,13}[0-9]{2}$');
    -- when the retention job blanked the payment's phone, description and merchant fields (null: not yet)
    alter table payments add column redacted_at timestamptz;
    -- the retention job walks ended payments by the time they ended, oldest first, and skips those done
    create index payments_to_redact on payments ((coalesce(paid_at, closed_at)))
      where redacted_at is null and status in ('succeeded', 'voided', 'failed', 'expired');
    -- erasure finds the alerts sent to a phone (notifications of no payment) without reading every notification
    create index notifications_without_payment on notifications (kind) where payment_id is null;
    -- message texts are kept 30 days: the rows still holding one, by age
    create index sms_messages_text_kept on sms_messages (created_at) where text_redacted <> '';
    -- messages of no payment (alerts, sign-in codes) keep their phone RETENTION_DAYS: those not masked yet, by age
    create index sms_messages_phone_kept on sms_messages (created_at) where payment_id is null and phone !~ '^[*]';
    -- the retention job masks phones in bulk: the live views need no wake-up for that
    drop trigger payments_notify_update on payments;
    create trigger payments_notify_update after update on payments for each row
      when (old.status is distinct from new.status or old.amount_refunded is distinct from new.amount_refunded
            or old.amount_captured is distinct from new.amount_captured
            or (old.phone is distinct from new.phone and new.redacted_at is not distinct from old.redacted_at))
      execute function notify_payment_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger payments_notify_update on payments;
    create trigger payments_notify_update after update on payments for each row
      when (old.status is distinct from new.status or old.amount_refunded is distinct from new.amount_refunded
            or old.amount_captured is distinct from new.amount_captured or old.phone is distinct from new.phone)
      execute function notify_payment_change();
    drop index sms_messages_text_kept;
    drop index sms_messages_phone_kept;
    drop index notifications_without_payment;
    drop index payments_to_redact;
    alter table payments drop column redacted_at;
    update payments set phone = null where phone !~ '^[1-9][0-9]{6,14}$';
    alter table payments drop constraint payments_phone_check;
    alter table payments add constraint payments_phone_check check (phone ~ '^[1-9][0-9]{6,14}$');
  `);
}
