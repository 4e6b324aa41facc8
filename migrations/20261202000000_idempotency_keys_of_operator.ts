import type { Knex } from 'knex';

// Idempotency-Key on the operator API too (/admin/v1): a key belongs to a merchant, or to the
// operator ('operator', never a merchant id, which starts with mch_). The owner is no longer always
// a merchant, so the column is renamed and its foreign key goes.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table idempotency_keys drop constraint idempotency_keys_merchant_id_fkey;
    alter table idempotency_keys rename column merchant_id to owner;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    delete from idempotency_keys where owner not in (select id from merchants);
    alter table idempotency_keys rename column owner to merchant_id;
    alter table idempotency_keys add constraint idempotency_keys_merchant_id_fkey foreign key (merchant_id) references merchants (id);
  `);
}
