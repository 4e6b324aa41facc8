import type { Knex } from 'knex';

/** docs/operator-guide.md#operator-console: the operators page shows each operator's last sign-in, the audit log's newest of that user. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index audit_log_console_sign_ins on audit_log (user_id, id desc) where audience = 'console' and action = 'sign_in'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index audit_log_console_sign_ins');
}
