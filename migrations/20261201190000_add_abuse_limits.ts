import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- spec §14: one counter per limit and subject (a client address, a number range, an API key, the
    -- whole service), in fixed windows; one atomic upsert per hit, so every instance shares it
    create table rate_counters (
      key text primary key,
      window_start timestamptz not null,
      hits int not null
    );

    -- wrong codes are counted per phone and per client (address or API key): a stranger locks himself out first
    alter table phone_wrong_tries add column client text;
    create index phone_wrong_tries_by_client on phone_wrong_tries (phone, mode, client, at);

    -- the operator lifted the limits of a phone: what happened before does not count any more
    create table limit_lifts (
      phone text not null,
      mode text not null,
      lifted_at timestamptz not null,
      lifted_by text,
      primary key (phone, mode)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table limit_lifts;
    drop index phone_wrong_tries_by_client;
    alter table phone_wrong_tries drop column client;
    drop table rate_counters;
  `);
}
