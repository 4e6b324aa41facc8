import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- /metrics counts dead notifications by kind on every scrape: a partial index keeps that off the whole outbox
    create index notifications_dead_by_kind on notifications (kind) where status = 'dead';
    -- and payments by status
    create index payments_by_status on payments (status);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index notifications_dead_by_kind; drop index payments_by_status');
}
