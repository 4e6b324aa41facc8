import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table payments add column link_token text;
    create unique index payments_link_token on payments (link_token) where link_token is not null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index payments_link_token;
    alter table payments drop column link_token;
  `);
}
