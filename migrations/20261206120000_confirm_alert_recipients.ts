import type { Knex } from 'knex';

// Spec §13 (issue 29): an alert recipient confirms first. A row per e-mail or phone in a shop's
// alerts, pending until its link is clicked; the link's token is kept only as a SHA-256 hash.
// The alert log keeps what the merchant must be able to read: confirmations and dropped alerts.
// Recipients already in alerts start pending with no link: the next save of the list sends one.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table alert_recipients (
      shop_id text not null references shops (id) on delete cascade,
      kind text not null check (kind in ('email', 'phone')),
      address text not null,
      state text not null default 'pending' check (state in ('pending', 'confirmed')),
      token_hash text,
      token_expires_at timestamptz,
      created_at timestamptz not null,
      confirmed_at timestamptz,
      primary key (shop_id, kind, address),
      check ((token_hash is null) = (token_expires_at is null))
    );
    create unique index alert_recipients_token on alert_recipients (token_hash) where token_hash is not null;

    insert into alert_recipients (shop_id, kind, address, created_at)
      select s.id, 'email', e, now() from shops s, jsonb_array_elements_text(s.alerts->'emails') e
      union all
      select s.id, 'phone', p, now() from shops s, jsonb_array_elements_text(s.alerts->'phones') p
      on conflict do nothing;

    create table alert_log (
      id bigint generated always as identity primary key,
      shop_id text not null references shops (id) on delete cascade,
      at timestamptz not null,
      what text not null check (what in ('confirmation_sent', 'confirmation_refused', 'confirmation_failed', 'confirmed', 'alert_dropped')),
      kind text not null check (kind in ('email', 'phone')),
      address text not null,
      event_type text,
      reason text,
      notification_id text
    );
    create index alert_log_of_shop on alert_log (shop_id, id desc);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table alert_log;
    drop table alert_recipients;
  `);
}
