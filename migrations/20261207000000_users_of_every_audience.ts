import type { Knex } from 'knex';

// docs/architecture.md#sessions-for-every-audience: the office, the console and the buyer's page share one user, session and sign-in table
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table office_users rename to users;
    alter table users rename constraint office_users_pkey to users_pkey;
    alter table users rename constraint office_users_email_check to users_email_check;
    alter table users rename constraint office_users_merchant_id_fkey to users_merchant_id_fkey;
    alter table users rename constraint office_users_setup_token_hash_key to users_setup_token_hash_key;
    alter index office_users_merchant_email rename to users_merchant_email;
    alter index office_users_of_merchant rename to users_of_merchant;
    -- office: a merchant's user (e-mail); console: an operator (e-mail); me: a buyer, known by the phone
    alter table users add column audience text not null default 'office' check (audience in ('office', 'console', 'me'));
    alter table users alter column audience drop default;
    alter table users add column phone text;
    alter table users alter column merchant_id drop not null;
    alter table users alter column email drop not null;
    alter table users add constraint users_owner check ((audience = 'office') = (merchant_id is not null)
      and (audience = 'me') = (phone is not null) and (audience = 'me') = (email is null));
    alter table users drop constraint office_users_role_check;
    alter table users add constraint users_role_check check (case audience
      when 'office' then role in ('owner', 'staff', 'viewer')
      when 'console' then role in ('admin', 'finance', 'support', 'cashier')
      else role = 'buyer' end);
    drop index office_users_email;
    create unique index users_email on users (audience, email) where not email_elsewhere and email is not null;
    create unique index users_phone on users (phone) where audience = 'me';

    alter table office_sessions rename to sessions;
    alter table sessions rename constraint office_sessions_pkey to sessions_pkey;
    alter table sessions rename constraint office_sessions_user_id_fkey to sessions_user_id_fkey;
    alter index office_sessions_of_user rename to sessions_of_user;
    alter trigger office_sessions_notify_delete on sessions rename to sessions_notify_delete;

    -- the key is the audience and the e-mail ('console:ops@example.com'); office rows keep their bare e-mail
    alter table office_sign_in_tries rename to sign_in_tries;
    alter table sign_in_tries rename constraint office_sign_in_tries_pkey to sign_in_tries_pkey;
    alter table sign_in_tries rename column email to key;

    -- an operator's action names no merchant when it acts on none (a voucher batch, a wallet)
    alter table audit_log alter column merchant_id drop not null;
    alter table audit_log add column audience text not null default 'office' check (audience in ('office', 'console', 'me'));
    alter table audit_log alter column audience drop default;
    create index audit_log_of_audience on audit_log (audience, id desc);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index audit_log_of_audience;
    delete from audit_log where audience <> 'office';
    alter table audit_log drop column audience;
    alter table audit_log alter column merchant_id set not null;
    alter table sign_in_tries rename column key to email;
    alter table sign_in_tries rename constraint sign_in_tries_pkey to office_sign_in_tries_pkey;
    alter table sign_in_tries rename to office_sign_in_tries;
    delete from office_sign_in_tries where email like '%:%';
    alter trigger sessions_notify_delete on sessions rename to office_sessions_notify_delete;
    alter index sessions_of_user rename to office_sessions_of_user;
    alter table sessions rename constraint sessions_user_id_fkey to office_sessions_user_id_fkey;
    alter table sessions rename constraint sessions_pkey to office_sessions_pkey;
    alter table sessions rename to office_sessions;
    delete from office_sessions where user_id in (select id from users where audience <> 'office');
    delete from users where audience <> 'office';
    drop index users_phone;
    drop index users_email;
    create unique index office_users_email on users (email) where not email_elsewhere;
    alter table users drop constraint users_role_check;
    alter table users add constraint office_users_role_check check (role in ('owner', 'staff', 'viewer'));
    alter table users drop constraint users_owner;
    alter table users alter column email set not null;
    alter table users alter column merchant_id set not null;
    alter table users drop column phone;
    alter table users drop column audience;
    alter index users_of_merchant rename to office_users_of_merchant;
    alter index users_merchant_email rename to office_users_merchant_email;
    alter table users rename constraint users_setup_token_hash_key to office_users_setup_token_hash_key;
    alter table users rename constraint users_merchant_id_fkey to office_users_merchant_id_fkey;
    alter table users rename constraint users_email_check to office_users_email_check;
    alter table users rename constraint users_pkey to office_users_pkey;
    alter table users rename to office_users;
  `);
}
