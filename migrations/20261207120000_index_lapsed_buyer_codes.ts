import type { Knex } from 'knex';

// docs/operator-guide.md#personal-data-what-is-kept-for-how-long-and-why: /me sign-in codes and wrong tries of no payment are deleted once no limit counts them
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create index sign_in_codes_by_sent on sign_in_codes (sent_at);
    create index phone_wrong_tries_paymentless_by_at on phone_wrong_tries (at) where payment_id is null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index phone_wrong_tries_paymentless_by_at;
    drop index sign_in_codes_by_sent;
  `);
}
