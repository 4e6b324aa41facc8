import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- spec §9: for 24 h after a rotation, webhooks carry signatures with the old and the new secret
    alter table shops add column previous_webhook_secret text;
    alter table shops add column webhook_secret_rotated_at timestamptz;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table shops drop column webhook_secret_rotated_at;
    alter table shops drop column previous_webhook_secret;
  `);
}
