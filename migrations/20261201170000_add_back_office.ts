import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- spec §12: the people of a merchant who sign in at /office
    create table office_users (
      id text primary key,
      merchant_id text not null references merchants (id),
      email text not null check (email = lower(email) and length(email) between 3 and 254),
      role text not null check (role in ('owner', 'staff', 'viewer')),
      -- argon2id; null until the user chose a password through the set-up link
      password_hash text,
      -- sealed with DATA_KEY; null until an authenticator is enrolled
      totp_secret text,
      -- the one-time set-up link: only its SHA-256 is kept
      setup_token_hash text unique,
      setup_expires_at timestamptz,
      created_at timestamptz not null,
      created_by text
    );
    create unique index office_users_email on office_users (email);
    create index office_users_of_merchant on office_users (merchant_id, created_at);

    alter table merchants add column require_totp boolean not null default false;

    -- server-side sessions: the cookie carries a random token, the table its SHA-256
    create table office_sessions (
      token_hash text primary key,
      user_id text not null references office_users (id) on delete cascade,
      csrf_token text not null,
      -- the password was right, the authenticator code is still due
      second_factor_due boolean not null,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      ip text
    );
    create index office_sessions_of_user on office_sessions (user_id);

    -- failed sign-ins per e-mail (existing or not): five in 15 minutes lock it for 15 minutes
    create table office_login_failures (
      id bigint generated always as identity primary key,
      email text not null,
      at timestamptz not null,
      ip text
    );
    create index office_login_failures_by_email on office_login_failures (email, at);

    -- who did what, when, from where
    create table audit_log (
      id bigint generated always as identity primary key,
      merchant_id text not null references merchants (id),
      user_id text references office_users (id),
      email text,
      action text not null,
      target text,
      ip text,
      at timestamptz not null,
      details jsonb not null default '{}'
    );
    create index audit_log_of_merchant on audit_log (merchant_id, id desc);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table audit_log;
    drop table office_login_failures;
    drop table office_sessions;
    alter table merchants drop column require_totp;
    drop table office_users;
  `);
}
