import type { Knex } from 'knex';

// Spec §12 "Acting once": a page's action form carries a one-time token. Only its hash is kept, once
// it was spent, in the transaction of the action, with where its outcome is shown: the same form
// posted again (a double click, a retry, the confirmation page re-submitted) is sent there instead
// of acting again. Rows outlive the tokens' 12 h validity, then the purge job removes them.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table action_tokens (
      token_hash text primary key,
      action text not null,
      outcome text not null,
      spent_at timestamptz not null
    );
    create index action_tokens_spent_at on action_tokens (spent_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table action_tokens');
}
