import type { Knex } from 'knex';

// Issue 29: a code names the CODE_SECRET it was derived from (a short hash), so during a rotation it
// is checked against that secret alone, and an instance that lacks it says so instead of counting a wrong try.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table payment_codes add column secret_id text');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table payment_codes drop column secret_id');
}
