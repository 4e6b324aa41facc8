import type { Knex } from 'knex';

// docs/merchant-guide.md#test-mode: a live merchant's few test payments, newest first, without walking its live ones (the office's ?mode=test, a test key's GET /payments)
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index payments_test_by_merchant on payments (merchant_id, invoice_no desc) where mode = 'test'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop index payments_test_by_merchant`);
}
