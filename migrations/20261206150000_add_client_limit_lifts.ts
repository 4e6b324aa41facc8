import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- the operator lifted the limits of a client (an address or /64, 'ip:…'; an API key, 'key:…'):
    -- its wrong codes before then no longer count against its share of a phone's tries (spec §14)
    create table client_limit_lifts (
      client text primary key,
      lifted_at timestamptz not null,
      lifted_by text
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table client_limit_lifts;`);
}
