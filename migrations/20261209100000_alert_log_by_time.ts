import type { Knex } from 'knex';

/** docs/operator-guide.md#personal-data-what-is-kept-for-how-long-and-why: the retention job deletes the alert log's old entries, oldest first. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index alert_log_by_time on alert_log (at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index alert_log_by_time');
}
