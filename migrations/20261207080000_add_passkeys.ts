import type { Knex } from 'knex';

// docs/security.md#passkeys: a user's WebAuthn credentials (public keys only: nothing here signs anything) and the
// one-time challenges they answer; a session says how it was signed in (a passkey is both factors). A challenge is kept as its SHA-256; a payment's also keeps the nonce it was derived
// with, so the server derives it again from the payment as it stands when the answer comes.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table passkeys (
      id bigint generated always as identity primary key,
      user_id text not null references users(id) on delete cascade,
      credential_id text not null unique,
      public_key bytea not null,
      counter bigint not null default 0 check (counter >= 0),
      transports text[] not null default '{}',
      created_at timestamptz not null,
      last_used_at timestamptz
    );
    create index passkeys_user on passkeys (user_id);
    create table passkey_challenges (
      challenge_hash text primary key,
      purpose text not null check (purpose in ('register', 'sign_in', 'pay')),
      audience text check (audience in ('office', 'console', 'me')),
      user_id text references users(id) on delete cascade,
      payment_id text references payments(id) on delete cascade,
      nonce bytea,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      spent_at timestamptz,
      check ((purpose = 'register') = (user_id is not null)),
      check ((purpose = 'pay') = (payment_id is not null and nonce is not null)),
      check ((purpose = 'sign_in') = (audience is not null))
    );
    create index passkey_challenges_expiry on passkey_challenges (expires_at);
    alter table sessions add column signed_in_with text check (signed_in_with in ('password', 'sms_code', 'passkey'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table sessions drop column signed_in_with;
    drop table passkey_challenges;
    drop table passkeys;
  `);
}
