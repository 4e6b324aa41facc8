import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- development only (never written in production): the SMS of the log gateway and the mail of the
    -- mailer without SMTP, whichever process sent them (a CLI action included), for /dev/sms and /dev/mail
    create table dev_inbox (
      seq bigserial primary key,
      id text not null unique,
      kind text not null check (kind in ('sms', 'mail')),
      recipient text not null,
      sender text,
      subject text,
      text text not null,
      html text,
      reference text,
      payment_id text,
      at timestamptz not null
    );
    create index dev_inbox_by_kind on dev_inbox (kind, seq desc);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table dev_inbox;`);
}
