import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table refunds (
      id text primary key,
      payment_id text not null references payments (id),
      merchant_id text not null references merchants (id),
      amount bigint not null check (amount > 0),
      currency text not null,
      phone text not null,
      purse text not null references wallets (purse),
      transfer_id bigint not null unique references transfers (id),
      -- the API's Idempotency-Key: a retried refund finds this one instead of paying again
      create_key text,
      created_at timestamptz not null
    );
    create unique index refunds_create_key on refunds (payment_id, create_key) where create_key is not null;
    create index refunds_by_payment on refunds (payment_id, created_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table refunds`);
}
