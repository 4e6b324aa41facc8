import type { Knex } from 'knex';

// POST /api/v1/payouts with an Idempotency-Key: the key is kept on the payout it made (as on payments
// and refunds), so a retry after the process died between the payout's commit and the key's record
// finds that payout instead of paying out whatever became payable since.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table payouts add column create_key text;
    create unique index payouts_create_key on payouts (purse, create_key) where create_key is not null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index payouts_create_key; alter table payouts drop column create_key');
}
