import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table payments (
      id text primary key,
      invoice_no bigint generated always as identity unique,
      merchant_id text not null references merchants (id),
      payee_purse text not null references wallets (purse),
      currency text not null,
      mode text not null check (mode in ('live', 'test')),
      amount bigint not null check (amount > 0),
      status text not null check (status in ('created', 'code_sent', 'authorized', 'succeeded', 'voided', 'failed', 'expired')),
      failure_reason text check (failure_reason in ('insufficient_funds', 'too_many_attempts', 'no_wallet',
        'declined_by_merchant', 'cancelled', 'simulated')),
      payment_no bigint check (payment_no between 0 and 2147483647),
      description text not null default '' check (length(description) <= 255),
      source text not null check (source in ('form', 'api')),
      create_key text,
      phone text check (phone ~ '^[1-9][0-9]{6,14}$'),
      payer_purse text references wallets (purse),
      payer_wm text,
      transfer_id bigint references transfers (id),
      trans_date timestamptz,
      hold_id text references holds (id),
      prerequest_at timestamptz,
      capture_mode text not null check (capture_mode in ('automatic', 'manual')),
      amount_captured bigint not null default 0 check (amount_captured >= 0 and amount_captured <= amount),
      amount_refunded bigint not null default 0 check (amount_refunded >= 0 and amount_refunded <= amount_captured),
      result_url text,
      success_url text,
      fail_url text,
      success_method text not null check (success_method in ('GET', 'POST', 'LINK')),
      fail_method text not null check (fail_method in ('GET', 'POST', 'LINK')),
      -- the merchant's own form fields, as [name, value] pairs in the order they came
      custom_fields jsonb not null default '[]',
      metadata jsonb not null default '{}',
      sim_mode smallint check (sim_mode in (0, 1, 2)),
      lang text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      expires_at timestamptz not null,
      paid_at timestamptz,
      closed_at timestamptz,
      constraint payments_failed_has_reason check ((status = 'failed') = (failure_reason is not null)),
      constraint payments_paid_has_transfer check (status <> 'succeeded' or transfer_id is not null),
      constraint payments_authorized_has_hold check (status <> 'authorized' or hold_id is not null)
    );
    -- one live-or-paid payment per order number and purse; failed or expired ones free the number
    create unique index payments_order_no on payments (payee_purse, payment_no)
      where payment_no is not null and status in ('created', 'code_sent', 'authorized', 'succeeded');
    create unique index payments_create_key on payments (merchant_id, create_key) where create_key is not null;
    create index payments_by_merchant on payments (merchant_id, invoice_no desc);
    create index payments_by_merchant_phone on payments (merchant_id, phone, invoice_no desc);
    create index payments_open_by_expiry on payments (expires_at) where status in ('created', 'code_sent');

    create table payment_codes (
      id bigserial primary key,
      payment_id text not null references payments (id),
      seq int not null,
      phone text not null,
      mode text not null,
      -- HOTP counter: the code is derived from CODE_SECRET, the payment and this counter; never stored
      counter bigint not null,
      sent_at timestamptz not null,
      expires_at timestamptz not null,
      wrong_tries int not null default 0,
      status text not null check (status in ('live', 'used', 'dead')),
      delivery text not null default 'pending' check (delivery in ('pending', 'sent', 'failed')),
      unique (payment_id, seq)
    );
    create index payment_codes_by_phone on payment_codes (phone, mode, sent_at);

    create table phone_wrong_tries (
      id bigserial primary key,
      phone text not null,
      mode text not null,
      payment_id text not null references payments (id),
      at timestamptz not null
    );
    create index phone_wrong_tries_by_phone on phone_wrong_tries (phone, mode, at);

    create table idempotency_keys (
      merchant_id text not null references merchants (id),
      key text not null,
      fingerprint text not null,
      state text not null check (state in ('in_flight', 'done')),
      status_code int,
      response_body jsonb,
      created_at timestamptz not null,
      locked_until timestamptz not null,
      expires_at timestamptz not null,
      primary key (merchant_id, key)
    );
    create index idempotency_keys_by_expiry on idempotency_keys (expires_at);

    create table sms_messages (
      id text primary key,
      merchant_id text references merchants (id),
      payment_id text references payments (id),
      code_id bigint references payment_codes (id),
      mode text not null,
      kind text not null check (kind in ('code', 'link', 'refund')),
      phone text not null,
      -- the text with any code blanked out: a dump of this table reveals no code
      text_redacted text not null,
      lang text not null,
      status text not null check (status in ('queued', 'sent', 'delivered', 'failed')),
      gateway text,
      gateway_message_id text,
      error text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index sms_messages_by_payment on sms_messages (payment_id, created_at);
    create index sms_messages_by_phone on sms_messages (phone, mode, created_at desc);
    create index sms_messages_by_gateway_id on sms_messages (gateway, gateway_message_id);

    create table notifications (
      id text primary key,
      merchant_id text not null references merchants (id),
      payment_id text references payments (id),
      kind text not null check (kind in ('result', 'prerequest', 'webhook', 'sms')),
      event_type text,
      url text,
      content_type text not null,
      body text not null,
      status text not null check (status in ('pending', 'delivered', 'dead')),
      attempts int not null default 0,
      next_attempt_at timestamptz,
      last_status int,
      last_error text,
      created_at timestamptz not null,
      delivered_at timestamptz
    );
    create index notifications_due on notifications (next_attempt_at) where status = 'pending';
    create index notifications_by_payment on notifications (payment_id, created_at);

    create table notification_attempts (
      id bigserial primary key,
      notification_id text not null references notifications (id),
      attempted_at timestamptz not null,
      status_code int,
      latency_ms int not null,
      error text
    );
    create index notification_attempts_by_notification on notification_attempts (notification_id, id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table notification_attempts;
    drop table notifications;
    drop table sms_messages;
    drop table idempotency_keys;
    drop table phone_wrong_tries;
    drop table payment_codes;
    drop table payments;
  `);
}
