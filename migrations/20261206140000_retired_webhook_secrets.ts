import type { Knex } from 'knex';

// Issue 29: every webhook secret a rotation retires signs for its own 24 h (a list, not one previous
// secret a second rotation overwrote), and is cleared after its window (lib/jobs/schedule.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table shops add column retired_webhook_secrets jsonb not null default '[]'::jsonb;
    update shops set retired_webhook_secrets = jsonb_build_array(jsonb_build_object('sealed', previous_webhook_secret, 'until', webhook_secret_rotated_at + interval '24 hours'))
      where previous_webhook_secret is not null and webhook_secret_rotated_at is not null;
    alter table shops drop column previous_webhook_secret;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table shops add column previous_webhook_secret text;
    update shops set previous_webhook_secret = (select e->>'sealed' from jsonb_array_elements(retired_webhook_secrets) e order by (e->>'until')::timestamptz desc limit 1);
    alter table shops drop column retired_webhook_secrets;
  `);
}
