import type { Knex } from 'knex';

// docs/operator-guide.md#operator-console: the console finds a payment by phone, order or invoice number across merchants,
// draws the last 24 hours per minute, and shows the outcome of the last ledger check
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create index payments_by_phone on payments (phone, invoice_no desc);
    create index payments_by_order on payments (payment_no) where payment_no is not null;
    create index payments_by_created on payments (created_at);
    create index sms_messages_by_created on sms_messages (created_at);
    create table ledger_checks (
      id bigint generated always as identity primary key,
      checked_at timestamptz not null,
      ok boolean not null,
      problems integer not null check (problems >= 0)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table ledger_checks;
    drop index sms_messages_by_created;
    drop index payments_by_created;
    drop index payments_by_order;
    drop index payments_by_phone;
  `);
}
