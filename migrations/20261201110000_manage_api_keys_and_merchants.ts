import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- spec §9: a suspended merchant takes no payments and its keys are refused
    alter table merchants add column status text not null default 'active' check (status in ('active', 'suspended'));
    alter table api_keys add column name text not null default '' check (length(name) <= 100);
    alter table api_keys add column last_used_at timestamptz;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table api_keys drop column last_used_at;
    alter table api_keys drop column name;
    alter table merchants drop column status;
  `);
}
