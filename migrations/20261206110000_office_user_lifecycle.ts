import type { Knex } from 'knex';

// Spec §12 "Sign-in under load": one row per e-mail holds its recent tries (counted before they are
// checked) and its lock, so one conditional upsert decides whether a try may be checked. It replaces
// office_login_failures, whose rows were counted after the check. A TOTP step signs in once
// (totp_last_step), users can be disabled, and an e-mail of another merchant's user gets a row of its
// own that can never sign in (email_elsewhere), so an owner cannot tell it from a new one.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table office_sign_in_tries (
      email text primary key,
      tries timestamptz[] not null,
      locked_until timestamptz
    );
    drop table office_login_failures;
    alter table office_users
      add column totp_last_step bigint,
      add column disabled_at timestamptz,
      add column email_elsewhere boolean not null default false;
    drop index office_users_email;
    create unique index office_users_email on office_users (email) where not email_elsewhere;
    create unique index office_users_merchant_email on office_users (merchant_id, email);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    delete from office_sessions where user_id in (select id from office_users where email_elsewhere);
    delete from audit_log where user_id in (select id from office_users where email_elsewhere);
    delete from office_users where email_elsewhere;
    drop index office_users_merchant_email;
    drop index office_users_email;
    create unique index office_users_email on office_users (email);
    alter table office_users drop column totp_last_step, drop column disabled_at, drop column email_elsewhere;
    create table office_login_failures (id bigint generated always as identity primary key, email text not null, at timestamptz not null, ip text);
    create index office_login_failures_by_email on office_login_failures (email, at);
    drop table office_sign_in_tries;
  `);
}
