import type { Knex } from 'knex';

// docs/operator-guide.md#operator-console: the console lists dead (or pending) notifications of every merchant, newest first
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create index notifications_undelivered_by_seq on notifications (status, seq) where status <> 'delivered';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop index notifications_undelivered_by_seq;`);
}
