import type { Knex } from 'knex';

// docs/operator-guide.md#operator-console: a top-up's printable slip finds the console's audit entry of its transfer
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create index audit_log_console_transfer on audit_log ((details->>'transfer_id')) where audience = 'console';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop index audit_log_console_transfer;`);
}
