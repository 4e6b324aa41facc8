import type { Knex } from 'knex';

// docs/merchant-guide.md#back-office "Running the shop alone": the office's overview sums a merchant's movements by day, and counts its failing notifications
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create index balance_transactions_of_merchant_by_time on balance_transactions (merchant_id, created_at);
    create index notifications_failing_of_merchant on notifications (merchant_id) where status = 'dead' or (status = 'pending' and attempts > 0);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index notifications_failing_of_merchant;
    drop index balance_transactions_of_merchant_by_time;
  `);
}
