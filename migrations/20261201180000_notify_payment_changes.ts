import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- the back office's live journal (spec §12): every instance LISTENs and pushes rows to open pages.
    -- Only a new payment or a change a person sees (status, refunds) is announced.
    create function notify_payment_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tp_payments', new.merchant_id || ':' || new.id);
      return null;
    end $$;
    create trigger payments_notify_insert after insert on payments for each row execute function notify_payment_change();
    create trigger payments_notify_update after update on payments for each row
      when (old.status is distinct from new.status or old.amount_refunded is distinct from new.amount_refunded
            or old.amount_captured is distinct from new.amount_captured or old.phone is distinct from new.phone)
      execute function notify_payment_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger payments_notify_update on payments;
    drop trigger payments_notify_insert on payments;
    drop function notify_payment_change();
  `);
}
