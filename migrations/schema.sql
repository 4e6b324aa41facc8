-- The schema after every migration, read from the catalog (`npm run schema:dump` writes it).

create table action_tokens (
  token_hash text not null,
  action text not null,
  outcome text not null,
  spent_at timestamp with time zone not null
);

create table alert_log (
  id bigint generated always as identity not null,
  shop_id text not null,
  at timestamp with time zone not null,
  what text not null,
  kind text not null,
  address text not null,
  event_type text,
  reason text,
  notification_id text
);

create table alert_recipients (
  shop_id text not null,
  kind text not null,
  address text not null,
  state text not null default 'pending'::text,
  token_hash text,
  token_expires_at timestamp with time zone,
  created_at timestamp with time zone not null,
  confirmed_at timestamp with time zone
);

create table api_keys (
  id text not null,
  merchant_id text not null,
  mode text not null,
  prefix text not null,
  key_hash text not null,
  created_at timestamp with time zone not null,
  revoked_at timestamp with time zone,
  name text not null default ''::text,
  last_used_at timestamp with time zone
);

create table audit_log (
  id bigint generated always as identity not null,
  merchant_id text,
  user_id text,
  email text,
  action text not null,
  target text,
  ip text,
  at timestamp with time zone not null,
  details jsonb not null default '{}'::jsonb,
  audience text not null
);

create table balance_transactions (
  id text not null,
  purse text not null,
  merchant_id text not null,
  type text not null,
  currency text not null,
  amount bigint not null,
  fee bigint not null default 0,
  net bigint not null,
  source text not null,
  transfer_id bigint,
  created_at timestamp with time zone not null,
  available_on timestamp with time zone not null,
  payout_id text,
  seq bigint generated always as identity not null
);

create table cashier_day_totals (
  cashier_id text not null,
  currency text not null,
  day date not null,
  total bigint not null default 0
);

create table client_limit_lifts (
  client text not null,
  lifted_at timestamp with time zone not null,
  lifted_by text
);

create table dev_inbox (
  seq bigint not null default nextval('dev_inbox_seq_seq'::regclass),
  id text not null,
  kind text not null,
  recipient text not null,
  sender text,
  subject text,
  text text not null,
  html text,
  reference text,
  payment_id text,
  at timestamp with time zone not null,
  channel text not null default 'sms'::text
);

create table holds (
  id text not null,
  key text not null,
  purse text not null,
  amount bigint not null,
  status text not null,
  captured_amount bigint,
  transfer_id bigint,
  created_at timestamp with time zone not null,
  expires_at timestamp with time zone not null,
  settled_at timestamp with time zone
);

create table idempotency_keys (
  owner text not null,
  key text not null,
  fingerprint text not null,
  state text not null,
  status_code integer,
  response_body jsonb,
  created_at timestamp with time zone not null,
  locked_until timestamp with time zone not null,
  expires_at timestamp with time zone not null
);

create table ledger_checks (
  id bigint generated always as identity not null,
  checked_at timestamp with time zone not null,
  ok boolean not null,
  problems integer not null
);

create table limit_lifts (
  phone text not null,
  mode text not null,
  lifted_at timestamp with time zone not null,
  lifted_by text
);

create table merchants (
  id text not null,
  name text not null,
  mode text not null,
  holder_id text not null,
  created_at timestamp with time zone not null,
  status text not null default 'active'::text,
  payout_schedule text not null default 'weekly'::text,
  payout_minimum bigint not null default 100,
  payout_delay_days integer not null default 7,
  payout_account text,
  require_totp boolean not null default false
);

create table notification_attempts (
  id bigint not null default nextval('notification_attempts_id_seq'::regclass),
  notification_id text not null,
  attempted_at timestamp with time zone not null,
  status_code integer,
  latency_ms integer not null,
  error text
);

create table notifications (
  id text not null,
  merchant_id text not null,
  payment_id text,
  kind text not null,
  event_type text,
  url text,
  content_type text not null,
  body text not null,
  status text not null,
  attempts integer not null default 0,
  next_attempt_at timestamp with time zone,
  last_status integer,
  last_error text,
  created_at timestamp with time zone not null,
  delivered_at timestamp with time zone,
  seq bigint generated always as identity not null,
  redeliveries integer not null default 0,
  shop_id text,
  dedupe_key text
);

create table passkey_challenges (
  challenge_hash text not null,
  purpose text not null,
  audience text,
  user_id text,
  payment_id text,
  nonce bytea,
  created_at timestamp with time zone not null,
  expires_at timestamp with time zone not null,
  spent_at timestamp with time zone
);

create table passkeys (
  id bigint generated always as identity not null,
  user_id text not null,
  credential_id text not null,
  public_key bytea not null,
  counter bigint not null default 0,
  transports text[] not null default '{}'::text[],
  created_at timestamp with time zone not null,
  last_used_at timestamp with time zone
);

create table payment_codes (
  id bigint not null default nextval('payment_codes_id_seq'::regclass),
  payment_id text not null,
  seq integer not null,
  phone text not null,
  mode text not null,
  counter bigint not null,
  sent_at timestamp with time zone not null,
  expires_at timestamp with time zone not null,
  wrong_tries integer not null default 0,
  status text not null,
  delivery text not null default 'pending'::text,
  secret_id text,
  code_hash text
);

create table payments (
  id text not null,
  invoice_no bigint generated always as identity not null,
  merchant_id text not null,
  payee_purse text not null,
  currency text not null,
  mode text not null,
  amount bigint not null,
  status text not null,
  failure_reason text,
  payment_no bigint,
  description text not null default ''::text,
  source text not null,
  create_key text,
  phone text,
  payer_purse text,
  payer_wm text,
  transfer_id bigint,
  trans_date timestamp with time zone,
  hold_id text,
  prerequest_at timestamp with time zone,
  capture_mode text not null,
  amount_captured bigint not null default 0,
  amount_refunded bigint not null default 0,
  result_url text,
  success_url text,
  fail_url text,
  success_method text not null,
  fail_method text not null,
  custom_fields jsonb not null default '[]'::jsonb,
  metadata jsonb not null default '{}'::jsonb,
  sim_mode smallint,
  lang text,
  created_at timestamp with time zone not null,
  updated_at timestamp with time zone not null,
  expires_at timestamp with time zone not null,
  paid_at timestamp with time zone,
  closed_at timestamp with time zone,
  link_token text,
  browser_hash text,
  prerequest_phone text,
  unknown_phone text,
  shop_id text not null,
  fee bigint not null default 0,
  fee_returned bigint not null default 0,
  fee_refund text,
  buyer_email text,
  redacted_at timestamp with time zone
);

create table payouts (
  id text not null,
  merchant_id text not null,
  shop_id text,
  purse text not null,
  currency text not null,
  mode text not null,
  amount bigint not null,
  status text not null default 'pending'::text,
  trigger text not null,
  period text,
  payout_account text,
  reference text,
  failure_reason text,
  transfer_id bigint,
  settle_transfer_id bigint,
  created_at timestamp with time zone not null,
  paid_at timestamp with time zone,
  failed_at timestamp with time zone,
  seq bigint generated always as identity not null,
  create_key text
);

create table phone_wrong_tries (
  id bigint not null default nextval('phone_wrong_tries_id_seq'::regclass),
  phone text not null,
  mode text not null,
  payment_id text,
  at timestamp with time zone not null,
  client text
);

create table postings (
  id bigint not null default nextval('postings_id_seq'::regclass),
  transfer_id bigint not null,
  purse text not null,
  amount bigint not null,
  balance_after bigint not null,
  created_at timestamp with time zone not null
);

create table rate_counters (
  key text not null,
  window_start timestamp with time zone not null,
  hits integer not null
);

create table receipts (
  payment_id text not null,
  token_hash text not null,
  secret_id text not null,
  created_at timestamp with time zone not null
);

create table refunds (
  id text not null,
  payment_id text not null,
  merchant_id text not null,
  amount bigint not null,
  currency text not null,
  phone text not null,
  purse text not null,
  transfer_id bigint not null,
  create_key text,
  created_at timestamp with time zone not null
);

create table service_secrets (
  name text not null,
  value text not null,
  created_at timestamp with time zone not null default now()
);

create table sessions (
  token_hash text not null,
  user_id text not null,
  csrf_token text not null,
  second_factor_due boolean not null,
  created_at timestamp with time zone not null,
  last_seen_at timestamp with time zone not null,
  ip text,
  signed_in_with text
);

create table shops (
  id text not null,
  merchant_id text not null,
  name text not null,
  status text not null default 'active'::text,
  methods text[] not null default '{code,link,manual_capture}'::text[],
  lang text not null default 'en'::text,
  secret_key text not null,
  webhook_secret text not null,
  hash_method text not null,
  result_url text,
  success_url text,
  fail_url text,
  webhook_url text,
  allowed_hosts text[] not null default '{}'::text[],
  success_method text not null,
  fail_method text not null,
  prerequest boolean not null default false,
  require_signed_forms boolean not null default false,
  allow_form_urls boolean not null default false,
  capture_mode text not null default 'automatic'::text,
  created_at timestamp with time zone not null,
  webhook_secret_rotated_at timestamp with time zone,
  fee_percent_bp integer,
  fee_fixed bigint,
  fee_refund text,
  alerts jsonb not null default '{"emails": [], "events": [], "phones": []}'::jsonb,
  retired_webhook_secrets jsonb not null default '[]'::jsonb,
  receipt_channel text not null default 'sms'::text,
  brand_color text,
  brand_support_email text,
  brand_support_phone text,
  brand_terms_url text,
  brand_logo bytea,
  brand_logo_type text,
  brand_logo_hash text
);

create table sign_in_codes (
  id bigint generated always as identity not null,
  phone text not null,
  counter bigint not null,
  secret_id text not null,
  sent_at timestamp with time zone not null,
  expires_at timestamp with time zone not null,
  wrong_tries integer not null default 0,
  status text not null default 'live'::text,
  delivery text not null default 'pending'::text,
  code_hash text
);

create table sign_in_tries (
  key text not null,
  tries timestamp with time zone[] not null,
  locked_until timestamp with time zone
);

create table sms_messages (
  id text not null,
  merchant_id text,
  payment_id text,
  code_id bigint,
  mode text not null,
  kind text not null,
  phone text not null,
  text_redacted text not null,
  lang text not null,
  status text not null,
  gateway text,
  gateway_message_id text,
  error text,
  created_at timestamp with time zone not null,
  updated_at timestamp with time zone not null,
  seq bigint generated always as identity not null,
  channel text not null default 'sms'::text,
  template jsonb,
  fallback_of text
);

create table transfers (
  id bigint not null default nextval('transfers_id_seq'::regclass),
  key text not null,
  kind text not null,
  currency text not null,
  mode text not null,
  created_at timestamp with time zone not null,
  metadata jsonb not null default '{}'::jsonb
);

create table users (
  id text not null,
  merchant_id text,
  email text,
  role text not null,
  password_hash text,
  totp_secret text,
  setup_token_hash text,
  setup_expires_at timestamp with time zone,
  created_at timestamp with time zone not null,
  created_by text,
  totp_last_step bigint,
  disabled_at timestamp with time zone,
  email_elsewhere boolean not null default false,
  audience text not null,
  phone text
);

create table vouchers (
  id text not null,
  batch_id text not null,
  code_hash text not null,
  secret_id text not null,
  currency text not null,
  mode text not null,
  amount bigint not null,
  status text not null default 'active'::text,
  expires_at timestamp with time zone,
  created_at timestamp with time zone not null,
  ended_at timestamp with time zone,
  redeemed_purse text,
  end_transfer_id bigint,
  issue_transfer_id bigint not null
);

create table wallets (
  purse text not null,
  holder_id text not null,
  currency text not null,
  kind text not null,
  mode text not null,
  phone text,
  merchant_id text,
  balance bigint not null default 0,
  held bigint not null default 0,
  created_at timestamp with time zone not null,
  shop_id text,
  status text not null default 'active'::text,
  frozen_at timestamp with time zone
);

-- constraints
action_tokens action_tokens_pkey: PRIMARY KEY (token_hash)
alert_log alert_log_kind_check: CHECK ((kind = ANY (ARRAY['email'::text, 'phone'::text])))
alert_log alert_log_pkey: PRIMARY KEY (id)
alert_log alert_log_shop_id_fkey: FOREIGN KEY (shop_id) REFERENCES shops(id) ON DELETE CASCADE
alert_log alert_log_what_check: CHECK ((what = ANY (ARRAY['confirmation_sent'::text, 'confirmation_refused'::text, 'confirmation_failed'::text, 'confirmed'::text, 'alert_dropped'::text])))
alert_recipients alert_recipients_check: CHECK (((token_hash IS NULL) = (token_expires_at IS NULL)))
alert_recipients alert_recipients_kind_check: CHECK ((kind = ANY (ARRAY['email'::text, 'phone'::text])))
alert_recipients alert_recipients_pkey: PRIMARY KEY (shop_id, kind, address)
alert_recipients alert_recipients_shop_id_fkey: FOREIGN KEY (shop_id) REFERENCES shops(id) ON DELETE CASCADE
alert_recipients alert_recipients_state_check: CHECK ((state = ANY (ARRAY['pending'::text, 'confirmed'::text])))
api_keys api_keys_key_hash_key: UNIQUE (key_hash)
api_keys api_keys_merchant_id_fkey: FOREIGN KEY (merchant_id) REFERENCES merchants(id)
api_keys api_keys_mode_check: CHECK ((mode = ANY (ARRAY['live'::text, 'test'::text])))
api_keys api_keys_name_check: CHECK ((length(name) <= 100))
api_keys api_keys_pkey: PRIMARY KEY (id)
audit_log audit_log_audience_check: CHECK ((audience = ANY (ARRAY['office'::text, 'console'::text, 'me'::text])))
audit_log audit_log_merchant_id_fkey: FOREIGN KEY (merchant_id) REFERENCES merchants(id)
audit_log audit_log_pkey: PRIMARY KEY (id)
audit_log audit_log_user_id_fkey: FOREIGN KEY (user_id) REFERENCES users(id)
balance_transactions balance_transactions_check: CHECK ((net = (amount - fee)))
balance_transactions balance_transactions_merchant_id_fkey: FOREIGN KEY (merchant_id) REFERENCES merchants(id)
balance_transactions balance_transactions_payout_id_fkey: FOREIGN KEY (payout_id) REFERENCES payouts(id)
balance_transactions balance_transactions_pkey: PRIMARY KEY (id)
balance_transactions balance_transactions_purse_fkey: FOREIGN KEY (purse) REFERENCES wallets(purse)
balance_transactions balance_transactions_transfer_id_fkey: FOREIGN KEY (transfer_id) REFERENCES transfers(id)
balance_transactions balance_transactions_type_check: CHECK ((type = ANY (ARRAY['payment'::text, 'refund'::text, 'fee_refund'::text, 'payout'::text, 'payout_failure'::text, 'adjustment'::text])))
cashier_day_totals cashier_day_totals_currency_check: CHECK ((currency = ANY (ARRAY['USD'::text, 'EUR'::text, 'RUB'::text, 'UAH'::text])))
cashier_day_totals cashier_day_totals_pkey: PRIMARY KEY (cashier_id, currency, day)
cashier_day_totals cashier_day_totals_total_check: CHECK ((total >= 0))
client_limit_lifts client_limit_lifts_pkey: PRIMARY KEY (client)
dev_inbox dev_inbox_channel_check: CHECK ((channel = ANY (ARRAY['sms'::text, 'whatsapp'::text])))
dev_inbox dev_inbox_id_key: UNIQUE (id)
dev_inbox dev_inbox_kind_check: CHECK ((kind = ANY (ARRAY['sms'::text, 'mail'::text])))
dev_inbox dev_inbox_pkey: PRIMARY KEY (seq)
holds holds_amount_check: CHECK ((amount > 0))
holds holds_check1: CHECK (((status = 'active'::text) = (settled_at IS NULL)))
holds holds_check2: CHECK (((status = 'captured'::text) = (transfer_id IS NOT NULL)))
holds holds_check: CHECK (((captured_amount > 0) AND (captured_amount <= amount)))
holds holds_key_key: UNIQUE (key)
holds holds_pkey: PRIMARY KEY (id)
holds holds_purse_fkey: FOREIGN KEY (purse) REFERENCES wallets(purse)
holds holds_status_check: CHECK ((status = ANY (ARRAY['active'::text, 'captured'::text, 'released'::text])))
holds holds_transfer_id_fkey: FOREIGN KEY (transfer_id) REFERENCES transfers(id)
idempotency_keys idempotency_keys_pkey: PRIMARY KEY (owner, key)
idempotency_keys idempotency_keys_state_check: CHECK ((state = ANY (ARRAY['in_flight'::text, 'done'::text])))
ledger_checks ledger_checks_pkey: PRIMARY KEY (id)
ledger_checks ledger_checks_problems_check: CHECK ((problems >= 0))
limit_lifts limit_lifts_pkey: PRIMARY KEY (phone, mode)
merchants merchants_holder_id_check: CHECK ((holder_id ~ '^[0-9]{12}$'::text))
merchants merchants_mode_check: CHECK ((mode = ANY (ARRAY['live'::text, 'test'::text])))
merchants merchants_name_check: CHECK (((length(name) >= 1) AND (length(name) <= 100)))
merchants merchants_payout_delay_days_check: CHECK (((payout_delay_days >= 0) AND (payout_delay_days <= 30)))
merchants merchants_payout_minimum_check: CHECK ((payout_minimum >= 0))
merchants merchants_payout_schedule_check: CHECK ((payout_schedule = ANY (ARRAY['manual'::text, 'daily'::text, 'weekly'::text, 'monthly'::text])))
merchants merchants_pkey: PRIMARY KEY (id)
merchants merchants_status_check: CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text])))
notification_attempts notification_attempts_notification_id_fkey: FOREIGN KEY (notification_id) REFERENCES notifications(id)
notification_attempts notification_attempts_pkey: PRIMARY KEY (id)
notifications notifications_kind_check: CHECK ((kind = ANY (ARRAY['result'::text, 'prerequest'::text, 'webhook'::text, 'sms'::text, 'mail'::text])))
notifications notifications_merchant_id_fkey: FOREIGN KEY (merchant_id) REFERENCES merchants(id)
notifications notifications_payment_id_fkey: FOREIGN KEY (payment_id) REFERENCES payments(id)
notifications notifications_pkey: PRIMARY KEY (id)
notifications notifications_shop_id_fkey: FOREIGN KEY (shop_id) REFERENCES shops(id)
notifications notifications_status_check: CHECK ((status = ANY (ARRAY['pending'::text, 'delivered'::text, 'dead'::text])))
passkey_challenges passkey_challenges_audience_check: CHECK ((audience = ANY (ARRAY['office'::text, 'console'::text, 'me'::text])))
passkey_challenges passkey_challenges_check1: CHECK (((purpose = 'pay'::text) = ((payment_id IS NOT NULL) AND (nonce IS NOT NULL))))
passkey_challenges passkey_challenges_check2: CHECK (((purpose = 'sign_in'::text) = (audience IS NOT NULL)))
passkey_challenges passkey_challenges_check: CHECK (((purpose = 'register'::text) = (user_id IS NOT NULL)))
passkey_challenges passkey_challenges_payment_id_fkey: FOREIGN KEY (payment_id) REFERENCES payments(id) ON DELETE CASCADE
passkey_challenges passkey_challenges_pkey: PRIMARY KEY (challenge_hash)
passkey_challenges passkey_challenges_purpose_check: CHECK ((purpose = ANY (ARRAY['register'::text, 'sign_in'::text, 'pay'::text])))
passkey_challenges passkey_challenges_user_id_fkey: FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
passkeys passkeys_counter_check: CHECK ((counter >= 0))
passkeys passkeys_credential_id_key: UNIQUE (credential_id)
passkeys passkeys_pkey: PRIMARY KEY (id)
passkeys passkeys_user_id_fkey: FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
payment_codes payment_codes_delivery_check: CHECK ((delivery = ANY (ARRAY['pending'::text, 'sent'::text, 'failed'::text])))
payment_codes payment_codes_payment_id_fkey: FOREIGN KEY (payment_id) REFERENCES payments(id)
payment_codes payment_codes_payment_id_seq_key: UNIQUE (payment_id, seq)
payment_codes payment_codes_pkey: PRIMARY KEY (id)
payment_codes payment_codes_status_check: CHECK ((status = ANY (ARRAY['live'::text, 'used'::text, 'dead'::text])))
payments payments_amount_check: CHECK ((amount > 0))
payments payments_authorized_has_hold: CHECK (((status <> 'authorized'::text) OR (hold_id IS NOT NULL)))
payments payments_buyer_email_check: CHECK (((buyer_email IS NULL) OR (length(buyer_email) <= 254)))
payments payments_capture_mode_check: CHECK ((capture_mode = ANY (ARRAY['automatic'::text, 'manual'::text])))
payments payments_check1: CHECK (((amount_refunded >= 0) AND (amount_refunded <= amount_captured)))
payments payments_check2: CHECK (((fee >= 0) AND (fee <= amount)))
payments payments_check3: CHECK (((fee_returned >= 0) AND (fee_returned <= fee)))
payments payments_check: CHECK (((amount_captured >= 0) AND (amount_captured <= amount)))
payments payments_description_check: CHECK ((length(description) <= 255))
payments payments_fail_method_check: CHECK ((fail_method = ANY (ARRAY['GET'::text, 'POST'::text, 'LINK'::text])))
payments payments_failed_has_reason: CHECK (((status = 'failed'::text) = (failure_reason IS NOT NULL)))
payments payments_failure_reason_check: CHECK ((failure_reason = ANY (ARRAY['insufficient_funds'::text, 'too_many_attempts'::text, 'no_wallet'::text, 'declined_by_merchant'::text, 'cancelled'::text, 'simulated'::text])))
payments payments_fee_refund_check: CHECK ((fee_refund = ANY (ARRAY['keep'::text, 'return'::text])))
payments payments_hold_id_fkey: FOREIGN KEY (hold_id) REFERENCES holds(id)
payments payments_invoice_no_key: UNIQUE (invoice_no)
payments payments_merchant_id_fkey: FOREIGN KEY (merchant_id) REFERENCES merchants(id)
payments payments_mode_check: CHECK ((mode = ANY (ARRAY['live'::text, 'test'::text])))
payments payments_paid_has_transfer: CHECK (((status <> 'succeeded'::text) OR (transfer_id IS NOT NULL)))
payments payments_payee_purse_fkey: FOREIGN KEY (payee_purse) REFERENCES wallets(purse)
payments payments_payer_purse_fkey: FOREIGN KEY (payer_purse) REFERENCES wallets(purse)
payments payments_payment_no_check: CHECK (((payment_no >= 0) AND (payment_no <= 2147483647)))
payments payments_phone_check: CHECK (((phone ~ '^[1-9][0-9]{6,14}$'::text) OR (phone ~ '^[*]{5,13}[0-9]{2}$'::text)))
payments payments_pkey: PRIMARY KEY (id)
payments payments_shop_id_fkey: FOREIGN KEY (shop_id) REFERENCES shops(id)
payments payments_sim_mode_check: CHECK ((sim_mode = ANY (ARRAY[0, 1, 2])))
payments payments_source_check: CHECK ((source = ANY (ARRAY['form'::text, 'api'::text])))
payments payments_status_check: CHECK ((status = ANY (ARRAY['created'::text, 'code_sent'::text, 'authorized'::text, 'succeeded'::text, 'voided'::text, 'failed'::text, 'expired'::text])))
payments payments_success_method_check: CHECK ((success_method = ANY (ARRAY['GET'::text, 'POST'::text, 'LINK'::text])))
payments payments_transfer_id_fkey: FOREIGN KEY (transfer_id) REFERENCES transfers(id)
payouts payouts_amount_check: CHECK ((amount > 0))
payouts payouts_merchant_id_fkey: FOREIGN KEY (merchant_id) REFERENCES merchants(id)
payouts payouts_pkey: PRIMARY KEY (id)
payouts payouts_purse_fkey: FOREIGN KEY (purse) REFERENCES wallets(purse)
payouts payouts_settle_transfer_id_fkey: FOREIGN KEY (settle_transfer_id) REFERENCES transfers(id)
payouts payouts_shop_id_fkey: FOREIGN KEY (shop_id) REFERENCES shops(id)
payouts payouts_status_check: CHECK ((status = ANY (ARRAY['pending'::text, 'paid'::text, 'failed'::text])))
payouts payouts_transfer_id_fkey: FOREIGN KEY (transfer_id) REFERENCES transfers(id)
payouts payouts_trigger_check: CHECK ((trigger = ANY (ARRAY['schedule'::text, 'request'::text])))
phone_wrong_tries phone_wrong_tries_payment_id_fkey: FOREIGN KEY (payment_id) REFERENCES payments(id)
phone_wrong_tries phone_wrong_tries_pkey: PRIMARY KEY (id)
postings postings_amount_check: CHECK ((amount <> 0))
postings postings_pkey: PRIMARY KEY (id)
postings postings_purse_fkey: FOREIGN KEY (purse) REFERENCES wallets(purse)
postings postings_transfer_balances: TRIGGER DEFERRABLE INITIALLY DEFERRED
postings postings_transfer_id_fkey: FOREIGN KEY (transfer_id) REFERENCES transfers(id)
rate_counters rate_counters_pkey: PRIMARY KEY (key)
receipts receipts_payment_id_fkey: FOREIGN KEY (payment_id) REFERENCES payments(id)
receipts receipts_pkey: PRIMARY KEY (payment_id)
receipts receipts_token_hash_key: UNIQUE (token_hash)
refunds refunds_amount_check: CHECK ((amount > 0))
refunds refunds_merchant_id_fkey: FOREIGN KEY (merchant_id) REFERENCES merchants(id)
refunds refunds_payment_id_fkey: FOREIGN KEY (payment_id) REFERENCES payments(id)
refunds refunds_pkey: PRIMARY KEY (id)
refunds refunds_purse_fkey: FOREIGN KEY (purse) REFERENCES wallets(purse)
refunds refunds_transfer_id_fkey: FOREIGN KEY (transfer_id) REFERENCES transfers(id)
refunds refunds_transfer_id_key: UNIQUE (transfer_id)
service_secrets service_secrets_pkey: PRIMARY KEY (name)
sessions sessions_pkey: PRIMARY KEY (token_hash)
sessions sessions_signed_in_with_check: CHECK ((signed_in_with = ANY (ARRAY['password'::text, 'sms_code'::text, 'passkey'::text])))
sessions sessions_user_id_fkey: FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
shops shops_brand_color_check: CHECK ((brand_color ~ '^#[0-9a-f]{6}$'::text))
shops shops_brand_logo_check: CHECK ((octet_length(brand_logo) <= 102400))
shops shops_brand_logo_type_check: CHECK ((brand_logo_type = ANY (ARRAY['image/png'::text, 'image/svg+xml'::text])))
shops shops_brand_logo_whole: CHECK ((((brand_logo IS NULL) = (brand_logo_type IS NULL)) AND ((brand_logo IS NULL) = (brand_logo_hash IS NULL))))
shops shops_brand_support_email_check: CHECK ((length(brand_support_email) <= 254))
shops shops_brand_support_phone_check: CHECK ((brand_support_phone ~ '^[0-9]{6,15}$'::text))
shops shops_brand_terms_url_check: CHECK ((length(brand_terms_url) <= 2000))
shops shops_capture_mode_check: CHECK ((capture_mode = ANY (ARRAY['automatic'::text, 'manual'::text])))
shops shops_fail_method_check: CHECK ((fail_method = ANY (ARRAY['GET'::text, 'POST'::text, 'LINK'::text])))
shops shops_fee_fixed_check: CHECK ((fee_fixed >= 0))
shops shops_fee_percent_bp_check: CHECK (((fee_percent_bp >= 0) AND (fee_percent_bp <= 10000)))
shops shops_fee_refund_check: CHECK ((fee_refund = ANY (ARRAY['keep'::text, 'return'::text])))
shops shops_hash_method_check: CHECK ((hash_method = ANY (ARRAY['sha256'::text, 'md5'::text])))
shops shops_merchant_id_fkey: FOREIGN KEY (merchant_id) REFERENCES merchants(id)
shops shops_methods_check: CHECK (((cardinality(methods) > 0) AND (methods <@ ARRAY['code'::text, 'link'::text, 'manual_capture'::text])))
shops shops_name_check: CHECK (((length(name) >= 1) AND (length(name) <= 100)))
shops shops_pkey: PRIMARY KEY (id)
shops shops_receipt_channel_check: CHECK ((receipt_channel = ANY (ARRAY['sms'::text, 'whatsapp'::text, 'none'::text])))
shops shops_status_check: CHECK ((status = ANY (ARRAY['active'::text, 'disabled'::text])))
shops shops_success_method_check: CHECK ((success_method = ANY (ARRAY['GET'::text, 'POST'::text, 'LINK'::text])))
sign_in_codes sign_in_codes_delivery_check: CHECK ((delivery = ANY (ARRAY['pending'::text, 'sent'::text, 'failed'::text])))
sign_in_codes sign_in_codes_phone_check: CHECK ((phone ~ '^[1-9][0-9]{6,14}$'::text))
sign_in_codes sign_in_codes_pkey: PRIMARY KEY (id)
sign_in_codes sign_in_codes_status_check: CHECK ((status = ANY (ARRAY['live'::text, 'used'::text, 'dead'::text])))
sign_in_tries sign_in_tries_pkey: PRIMARY KEY (key)
sms_messages sms_messages_channel_check: CHECK ((channel = ANY (ARRAY['sms'::text, 'whatsapp'::text])))
sms_messages sms_messages_code_id_fkey: FOREIGN KEY (code_id) REFERENCES payment_codes(id)
sms_messages sms_messages_fallback_of_fkey: FOREIGN KEY (fallback_of) REFERENCES sms_messages(id)
sms_messages sms_messages_kind_check: CHECK ((kind = ANY (ARRAY['code'::text, 'link'::text, 'refund'::text, 'alert'::text, 'receipt'::text, 'sign_in'::text])))
sms_messages sms_messages_merchant_id_fkey: FOREIGN KEY (merchant_id) REFERENCES merchants(id)
sms_messages sms_messages_payment_id_fkey: FOREIGN KEY (payment_id) REFERENCES payments(id)
sms_messages sms_messages_pkey: PRIMARY KEY (id)
sms_messages sms_messages_status_check: CHECK ((status = ANY (ARRAY['queued'::text, 'sent'::text, 'delivered'::text, 'read'::text, 'failed'::text, 'unknown'::text])))
transfers transfers_key_key: UNIQUE (key)
transfers transfers_mode_check: CHECK ((mode = ANY (ARRAY['live'::text, 'test'::text])))
transfers transfers_pkey: PRIMARY KEY (id)
users users_audience_check: CHECK ((audience = ANY (ARRAY['office'::text, 'console'::text, 'me'::text])))
users users_email_check: CHECK (((email = lower(email)) AND ((length(email) >= 3) AND (length(email) <= 254))))
users users_merchant_id_fkey: FOREIGN KEY (merchant_id) REFERENCES merchants(id)
users users_owner: CHECK ((((audience = 'office'::text) = (merchant_id IS NOT NULL)) AND ((audience = 'me'::text) = (phone IS NOT NULL)) AND ((audience = 'me'::text) = (email IS NULL))))
users users_pkey: PRIMARY KEY (id)
users users_role_check: CHECK (
CASE audience
    WHEN 'office'::text THEN (role = ANY (ARRAY['owner'::text, 'staff'::text, 'viewer'::text]))
    WHEN 'console'::text THEN (role = ANY (ARRAY['admin'::text, 'finance'::text, 'support'::text, 'cashier'::text]))
    ELSE (role = 'buyer'::text)
END)
users users_setup_token_hash_key: UNIQUE (setup_token_hash)
vouchers vouchers_amount_check: CHECK ((amount > 0))
vouchers vouchers_batch_id_check: CHECK ((batch_id ~ '^vbt_[0-9a-z]{24}$'::text))
vouchers vouchers_check1: CHECK (((status = 'redeemed'::text) = (redeemed_purse IS NOT NULL)))
vouchers vouchers_check: CHECK (((status = 'active'::text) = (ended_at IS NULL)))
vouchers vouchers_code_hash_key: UNIQUE (code_hash)
vouchers vouchers_currency_check: CHECK ((currency = ANY (ARRAY['USD'::text, 'EUR'::text, 'RUB'::text, 'UAH'::text])))
vouchers vouchers_end_transfer_id_fkey: FOREIGN KEY (end_transfer_id) REFERENCES transfers(id)
vouchers vouchers_id_check: CHECK ((id ~ '^vch_[0-9a-z]{24}$'::text))
vouchers vouchers_issue_transfer_id_fkey: FOREIGN KEY (issue_transfer_id) REFERENCES transfers(id)
vouchers vouchers_mode_check: CHECK ((mode = ANY (ARRAY['live'::text, 'test'::text])))
vouchers vouchers_pkey: PRIMARY KEY (id)
vouchers vouchers_redeemed_purse_fkey: FOREIGN KEY (redeemed_purse) REFERENCES wallets(purse)
vouchers vouchers_status_check: CHECK ((status = ANY (ARRAY['active'::text, 'redeemed'::text, 'expired'::text, 'void'::text])))
wallets wallets_balance_not_negative: CHECK (((kind = 'system'::text) OR (balance >= 0)))
wallets wallets_currency_check: CHECK ((currency = ANY (ARRAY['USD'::text, 'EUR'::text, 'RUB'::text, 'UAH'::text])))
wallets wallets_frozen_at: CHECK (((status = 'frozen'::text) = (frozen_at IS NOT NULL)))
wallets wallets_held_check: CHECK ((held >= 0))
wallets wallets_holder_id_check: CHECK ((holder_id ~ '^[0-9]{12}$'::text))
wallets wallets_holds_covered: CHECK (((kind = 'system'::text) OR ((balance - held) >= 0)))
wallets wallets_kind_check: CHECK ((kind = ANY (ARRAY['customer'::text, 'merchant'::text, 'system'::text, 'fees'::text, 'clearing'::text, 'vouchers'::text])))
wallets wallets_letter_matches_currency: CHECK (("left"(purse, 1) =
CASE currency
    WHEN 'USD'::text THEN 'Z'::text
    WHEN 'EUR'::text THEN 'E'::text
    WHEN 'RUB'::text THEN 'R'::text
    WHEN 'UAH'::text THEN 'U'::text
    ELSE NULL::text
END))
wallets wallets_merchant_fk: FOREIGN KEY (merchant_id) REFERENCES merchants(id)
wallets wallets_merchant_owns_merchant_wallets: CHECK (((kind = 'merchant'::text) = (merchant_id IS NOT NULL)))
wallets wallets_mode_check: CHECK ((mode = ANY (ARRAY['live'::text, 'test'::text])))
wallets wallets_phone_check: CHECK ((phone ~ '^[1-9][0-9]{6,14}$'::text))
wallets wallets_phone_only_on_customer: CHECK (((phone IS NULL) OR (kind = 'customer'::text)))
wallets wallets_pkey: PRIMARY KEY (purse)
wallets wallets_purse_check: CHECK ((purse ~ '^[ZERU][0-9]{12}$'::text))
wallets wallets_shop_id_fkey: FOREIGN KEY (shop_id) REFERENCES shops(id)
wallets wallets_shop_owns_merchant_wallets: CHECK (((kind = 'merchant'::text) = (shop_id IS NOT NULL)))
wallets wallets_status_check: CHECK ((status = ANY (ARRAY['active'::text, 'frozen'::text])))

-- indexes
CREATE UNIQUE INDEX action_tokens_pkey ON public.action_tokens USING btree (token_hash);
CREATE INDEX action_tokens_spent_at ON public.action_tokens USING btree (spent_at);
CREATE INDEX alert_log_by_time ON public.alert_log USING btree (at);
CREATE INDEX alert_log_of_shop ON public.alert_log USING btree (shop_id, id DESC);
CREATE UNIQUE INDEX alert_log_pkey ON public.alert_log USING btree (id);
CREATE UNIQUE INDEX alert_recipients_pkey ON public.alert_recipients USING btree (shop_id, kind, address);
CREATE UNIQUE INDEX alert_recipients_token ON public.alert_recipients USING btree (token_hash) WHERE (token_hash IS NOT NULL);
CREATE INDEX api_keys_by_merchant ON public.api_keys USING btree (merchant_id);
CREATE UNIQUE INDEX api_keys_key_hash_key ON public.api_keys USING btree (key_hash);
CREATE UNIQUE INDEX api_keys_pkey ON public.api_keys USING btree (id);
CREATE INDEX audit_log_console_sign_ins ON public.audit_log USING btree (user_id, id DESC) WHERE ((audience = 'console'::text) AND (action = 'sign_in'::text));
CREATE INDEX audit_log_console_transfer ON public.audit_log USING btree (((details ->> 'transfer_id'::text))) WHERE (audience = 'console'::text);
CREATE INDEX audit_log_of_audience ON public.audit_log USING btree (audience, id DESC);
CREATE INDEX audit_log_of_merchant ON public.audit_log USING btree (merchant_id, id DESC);
CREATE UNIQUE INDEX audit_log_pkey ON public.audit_log USING btree (id);
CREATE INDEX balance_transactions_of_merchant ON public.balance_transactions USING btree (merchant_id, seq DESC);
CREATE INDEX balance_transactions_of_merchant_by_time ON public.balance_transactions USING btree (merchant_id, created_at);
CREATE INDEX balance_transactions_of_payout ON public.balance_transactions USING btree (payout_id, seq) WHERE (payout_id IS NOT NULL);
CREATE UNIQUE INDEX balance_transactions_pkey ON public.balance_transactions USING btree (id);
CREATE INDEX balance_transactions_unsettled ON public.balance_transactions USING btree (purse, available_on) WHERE (payout_id IS NULL);
CREATE UNIQUE INDEX cashier_day_totals_pkey ON public.cashier_day_totals USING btree (cashier_id, currency, day);
CREATE UNIQUE INDEX client_limit_lifts_pkey ON public.client_limit_lifts USING btree (client);
CREATE INDEX dev_inbox_by_kind ON public.dev_inbox USING btree (kind, seq DESC);
CREATE UNIQUE INDEX dev_inbox_id_key ON public.dev_inbox USING btree (id);
CREATE UNIQUE INDEX dev_inbox_pkey ON public.dev_inbox USING btree (seq);
CREATE INDEX holds_active_by_expiry ON public.holds USING btree (expires_at) WHERE (status = 'active'::text);
CREATE INDEX holds_by_purse ON public.holds USING btree (purse, created_at);
CREATE UNIQUE INDEX holds_key_key ON public.holds USING btree (key);
CREATE UNIQUE INDEX holds_pkey ON public.holds USING btree (id);
CREATE INDEX idempotency_keys_by_expiry ON public.idempotency_keys USING btree (expires_at);
CREATE UNIQUE INDEX idempotency_keys_pkey ON public.idempotency_keys USING btree (owner, key);
CREATE UNIQUE INDEX ledger_checks_pkey ON public.ledger_checks USING btree (id);
CREATE UNIQUE INDEX limit_lifts_pkey ON public.limit_lifts USING btree (phone, mode);
CREATE UNIQUE INDEX merchants_pkey ON public.merchants USING btree (id);
CREATE INDEX notification_attempts_by_notification ON public.notification_attempts USING btree (notification_id, id);
CREATE UNIQUE INDEX notification_attempts_pkey ON public.notification_attempts USING btree (id);
CREATE INDEX notifications_by_payment ON public.notifications USING btree (payment_id, created_at);
CREATE INDEX notifications_dead_by_kind ON public.notifications USING btree (kind) WHERE (status = 'dead'::text);
CREATE INDEX notifications_due ON public.notifications USING btree (next_attempt_at) WHERE (status = 'pending'::text);
CREATE INDEX notifications_failing_of_merchant ON public.notifications USING btree (merchant_id) WHERE ((status = 'dead'::text) OR ((status = 'pending'::text) AND (attempts > 0)));
CREATE UNIQUE INDEX notifications_once ON public.notifications USING btree (dedupe_key) WHERE (dedupe_key IS NOT NULL);
CREATE UNIQUE INDEX notifications_pkey ON public.notifications USING btree (id);
CREATE INDEX notifications_undelivered_by_seq ON public.notifications USING btree (status, seq) WHERE (status <> 'delivered'::text);
CREATE INDEX notifications_without_payment ON public.notifications USING btree (kind) WHERE (payment_id IS NULL);
CREATE INDEX passkey_challenges_expiry ON public.passkey_challenges USING btree (expires_at);
CREATE UNIQUE INDEX passkey_challenges_pkey ON public.passkey_challenges USING btree (challenge_hash);
CREATE UNIQUE INDEX passkeys_credential_id_key ON public.passkeys USING btree (credential_id);
CREATE UNIQUE INDEX passkeys_pkey ON public.passkeys USING btree (id);
CREATE INDEX passkeys_user ON public.passkeys USING btree (user_id);
CREATE INDEX payment_codes_by_phone ON public.payment_codes USING btree (phone, mode, sent_at);
CREATE UNIQUE INDEX payment_codes_payment_id_seq_key ON public.payment_codes USING btree (payment_id, seq);
CREATE UNIQUE INDEX payment_codes_pkey ON public.payment_codes USING btree (id);
CREATE INDEX payments_authorized_by_hold ON public.payments USING btree (hold_id) WHERE (status = 'authorized'::text);
CREATE INDEX payments_by_created ON public.payments USING btree (created_at);
CREATE INDEX payments_by_field_values ON public.payments USING gin (payment_field_values(custom_fields, metadata));
CREATE INDEX payments_by_merchant ON public.payments USING btree (merchant_id, invoice_no DESC);
CREATE INDEX payments_by_merchant_amount ON public.payments USING btree (merchant_id, amount, invoice_no DESC);
CREATE INDEX payments_by_merchant_last4 ON public.payments USING btree (merchant_id, "right"(phone, 4), invoice_no DESC) WHERE (phone IS NOT NULL);
CREATE INDEX payments_by_merchant_order ON public.payments USING btree (merchant_id, payment_no) WHERE (payment_no IS NOT NULL);
CREATE INDEX payments_by_merchant_phone ON public.payments USING btree (merchant_id, phone, invoice_no DESC);
CREATE INDEX payments_by_order ON public.payments USING btree (payment_no) WHERE (payment_no IS NOT NULL);
CREATE INDEX payments_by_phone ON public.payments USING btree (phone, invoice_no DESC);
CREATE INDEX payments_by_shop ON public.payments USING btree (shop_id, invoice_no DESC);
CREATE INDEX payments_by_status ON public.payments USING btree (status);
CREATE UNIQUE INDEX payments_create_key ON public.payments USING btree (merchant_id, create_key) WHERE (create_key IS NOT NULL);
CREATE UNIQUE INDEX payments_invoice_no_key ON public.payments USING btree (invoice_no);
CREATE UNIQUE INDEX payments_link_token ON public.payments USING btree (link_token) WHERE (link_token IS NOT NULL);
CREATE INDEX payments_open_by_expiry ON public.payments USING btree (expires_at) WHERE (status = ANY (ARRAY['created'::text, 'code_sent'::text]));
CREATE UNIQUE INDEX payments_order_no ON public.payments USING btree (payee_purse, payment_no) WHERE ((payment_no IS NOT NULL) AND (status = ANY (ARRAY['created'::text, 'code_sent'::text, 'authorized'::text, 'succeeded'::text])));
CREATE UNIQUE INDEX payments_pkey ON public.payments USING btree (id);
CREATE INDEX payments_test_by_merchant ON public.payments USING btree (merchant_id, invoice_no DESC) WHERE (mode = 'test'::text);
CREATE INDEX payments_to_redact ON public.payments USING btree (COALESCE(paid_at, closed_at)) WHERE ((redacted_at IS NULL) AND (status = ANY (ARRAY['succeeded'::text, 'voided'::text, 'failed'::text, 'expired'::text])));
CREATE INDEX payouts_by_status ON public.payouts USING btree (status, seq);
CREATE UNIQUE INDEX payouts_create_key ON public.payouts USING btree (purse, create_key) WHERE (create_key IS NOT NULL);
CREATE INDEX payouts_of_merchant ON public.payouts USING btree (merchant_id, seq DESC);
CREATE UNIQUE INDEX payouts_one_per_period ON public.payouts USING btree (purse, period) WHERE (period IS NOT NULL);
CREATE UNIQUE INDEX payouts_pkey ON public.payouts USING btree (id);
CREATE INDEX phone_wrong_tries_by_client ON public.phone_wrong_tries USING btree (phone, mode, client, at);
CREATE INDEX phone_wrong_tries_by_phone ON public.phone_wrong_tries USING btree (phone, mode, at);
CREATE INDEX phone_wrong_tries_paymentless_by_at ON public.phone_wrong_tries USING btree (at) WHERE (payment_id IS NULL);
CREATE UNIQUE INDEX phone_wrong_tries_pkey ON public.phone_wrong_tries USING btree (id);
CREATE INDEX postings_by_purse ON public.postings USING btree (purse, id);
CREATE INDEX postings_by_transfer ON public.postings USING btree (transfer_id);
CREATE UNIQUE INDEX postings_pkey ON public.postings USING btree (id);
CREATE UNIQUE INDEX rate_counters_pkey ON public.rate_counters USING btree (key);
CREATE UNIQUE INDEX receipts_pkey ON public.receipts USING btree (payment_id);
CREATE UNIQUE INDEX receipts_token_hash_key ON public.receipts USING btree (token_hash);
CREATE INDEX refunds_by_payment ON public.refunds USING btree (payment_id, created_at);
CREATE UNIQUE INDEX refunds_create_key ON public.refunds USING btree (payment_id, create_key) WHERE (create_key IS NOT NULL);
CREATE UNIQUE INDEX refunds_pkey ON public.refunds USING btree (id);
CREATE UNIQUE INDEX refunds_transfer_id_key ON public.refunds USING btree (transfer_id);
CREATE UNIQUE INDEX service_secrets_pkey ON public.service_secrets USING btree (name);
CREATE INDEX sessions_of_user ON public.sessions USING btree (user_id);
CREATE UNIQUE INDEX sessions_pkey ON public.sessions USING btree (token_hash);
CREATE INDEX shops_by_merchant ON public.shops USING btree (merchant_id, created_at);
CREATE UNIQUE INDEX shops_pkey ON public.shops USING btree (id);
CREATE INDEX sign_in_codes_by_phone ON public.sign_in_codes USING btree (phone, id DESC);
CREATE INDEX sign_in_codes_by_phone_sent ON public.sign_in_codes USING btree (phone, sent_at);
CREATE INDEX sign_in_codes_by_sent ON public.sign_in_codes USING btree (sent_at);
CREATE UNIQUE INDEX sign_in_codes_pkey ON public.sign_in_codes USING btree (id);
CREATE UNIQUE INDEX sign_in_tries_pkey ON public.sign_in_tries USING btree (key);
CREATE INDEX sms_messages_by_created ON public.sms_messages USING btree (created_at);
CREATE INDEX sms_messages_by_gateway_id ON public.sms_messages USING btree (gateway, gateway_message_id);
CREATE INDEX sms_messages_by_payment ON public.sms_messages USING btree (payment_id, created_at);
CREATE INDEX sms_messages_by_phone_kind ON public.sms_messages USING btree (phone, mode, kind, created_at);
CREATE INDEX sms_messages_by_phone_seq ON public.sms_messages USING btree (phone, mode, seq DESC);
CREATE UNIQUE INDEX sms_messages_fallback_of ON public.sms_messages USING btree (fallback_of) WHERE (fallback_of IS NOT NULL);
CREATE INDEX sms_messages_phone_kept ON public.sms_messages USING btree (created_at) WHERE ((payment_id IS NULL) AND (phone !~ '^[*]'::text));
CREATE UNIQUE INDEX sms_messages_pkey ON public.sms_messages USING btree (id);
CREATE INDEX sms_messages_text_kept ON public.sms_messages USING btree (created_at) WHERE (text_redacted <> ''::text);
CREATE UNIQUE INDEX transfers_key_key ON public.transfers USING btree (key);
CREATE UNIQUE INDEX transfers_pkey ON public.transfers USING btree (id);
CREATE UNIQUE INDEX users_email ON public.users USING btree (audience, email) WHERE ((NOT email_elsewhere) AND (email IS NOT NULL));
CREATE UNIQUE INDEX users_merchant_email ON public.users USING btree (merchant_id, email);
CREATE INDEX users_of_merchant ON public.users USING btree (merchant_id, created_at);
CREATE UNIQUE INDEX users_phone ON public.users USING btree (phone) WHERE (audience = 'me'::text);
CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id);
CREATE UNIQUE INDEX users_setup_token_hash_key ON public.users USING btree (setup_token_hash);
CREATE INDEX vouchers_active_by_expiry ON public.vouchers USING btree (expires_at) WHERE ((status = 'active'::text) AND (expires_at IS NOT NULL));
CREATE INDEX vouchers_by_batch ON public.vouchers USING btree (batch_id, id);
CREATE INDEX vouchers_by_status ON public.vouchers USING btree (status, id);
CREATE UNIQUE INDEX vouchers_code_hash_key ON public.vouchers USING btree (code_hash);
CREATE UNIQUE INDEX vouchers_pkey ON public.vouchers USING btree (id);
CREATE INDEX wallets_by_merchant ON public.wallets USING btree (merchant_id) WHERE (merchant_id IS NOT NULL);
CREATE INDEX wallets_fee_accounts ON public.wallets USING btree (currency, mode) WHERE (kind = 'fees'::text);
CREATE UNIQUE INDEX wallets_one_clearing_account ON public.wallets USING btree (currency, mode) WHERE (kind = 'clearing'::text);
CREATE UNIQUE INDEX wallets_one_issuance_account ON public.wallets USING btree (currency, mode) WHERE (kind = 'system'::text);
CREATE UNIQUE INDEX wallets_one_per_shop_currency_mode ON public.wallets USING btree (shop_id, currency, mode) WHERE (shop_id IS NOT NULL);
CREATE UNIQUE INDEX wallets_one_voucher_float ON public.wallets USING btree (currency, mode) WHERE (kind = 'vouchers'::text);
CREATE UNIQUE INDEX wallets_phone_link ON public.wallets USING btree (phone, currency, mode) WHERE (phone IS NOT NULL);
CREATE UNIQUE INDEX wallets_pkey ON public.wallets USING btree (purse);

-- triggers
CREATE TRIGGER payments_notify_insert AFTER INSERT ON public.payments FOR EACH ROW EXECUTE FUNCTION notify_payment_change();
CREATE TRIGGER payments_notify_update AFTER UPDATE ON public.payments FOR EACH ROW WHEN (((old.status IS DISTINCT FROM new.status) OR (old.amount_refunded IS DISTINCT FROM new.amount_refunded) OR (old.amount_captured IS DISTINCT FROM new.amount_captured) OR ((old.phone IS DISTINCT FROM new.phone) AND (NOT (new.redacted_at IS DISTINCT FROM old.redacted_at))))) EXECUTE FUNCTION notify_payment_change();
CREATE TRIGGER postings_append_only BEFORE DELETE OR UPDATE ON public.postings FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON public.postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE CONSTRAINT TRIGGER postings_transfer_balances AFTER INSERT ON public.postings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transfer_balances();
CREATE TRIGGER sessions_notify_delete AFTER DELETE ON public.sessions FOR EACH ROW EXECUTE FUNCTION notify_session_end();
CREATE TRIGGER transfers_append_only BEFORE DELETE OR UPDATE ON public.transfers FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON public.transfers FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- functions
CREATE OR REPLACE FUNCTION public.ledger_refuse_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    begin
      raise exception 'the ledger is append-only: % on % is refused', tg_op, tg_table_name
        using errcode = 'restrict_violation';
    end $function$
CREATE OR REPLACE FUNCTION public.ledger_transfer_balances()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    declare total bigint; legs int;
    begin
      select coalesce(sum(amount), 0), count(*) into total, legs from postings where transfer_id = new.transfer_id;
      if total <> 0 or legs < 2 then
        raise exception 'transfer % does not balance (sum %, % postings)', new.transfer_id, total, legs
          using errcode = 'check_violation';
      end if;
      return null;
    end $function$
CREATE OR REPLACE FUNCTION public.notify_payment_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    begin
      perform pg_notify('tp_payments', new.merchant_id || ':' || new.id);
      return null;
    end $function$
CREATE OR REPLACE FUNCTION public.notify_session_end()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    begin
      perform pg_notify('tp_sessions', old.token_hash);
      return null;
    end $function$
CREATE OR REPLACE FUNCTION public.payment_field_values(custom_fields jsonb, metadata jsonb)
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$
      select coalesce(array_agg(lower(v)), '{}') from (
        select f ->> 1 as v from jsonb_array_elements(case jsonb_typeof(custom_fields) when 'array' then custom_fields else '[]' end) f
        union all
        select value from jsonb_each_text(case jsonb_typeof(metadata) when 'object' then metadata else '{}' end)
      ) t where v is not null and v <> ''
    $function$
CREATE OR REPLACE FUNCTION public.tp_after_wrong_try(p_wrong_tries integer, p_phone_today integer, p_limits jsonb, p_shared boolean)
 RETURNS TABLE(verdict text, tries_left integer)
 LANGUAGE sql
 IMMUTABLE
AS $function$
      select case when greatest(0, (p_limits ->> 'per_code')::int - p_wrong_tries) = 0
                    -- a shared test phone is never locked for everyone: each client still has its own share
                    or (not p_shared and p_phone_today >= (p_limits ->> 'per_phone_day')::int) then 'too_many' else 'wrong' end,
             greatest(0, (p_limits ->> 'per_code')::int - p_wrong_tries)
    $function$
CREATE OR REPLACE FUNCTION public.tp_check_code(p jsonb, p_payment_id text, p_now timestamp with time zone)
 RETURNS TABLE(verdict text, tries_left integer, code_id bigint, phone text)
 LANGUAGE plpgsql
AS $function$
    declare c payment_codes; gate text; wrong int; after record;
    begin
      select * into c from payment_codes where payment_id = p_payment_id order by seq desc limit 1;
      if not found then return query select 'code_dead', 0, null::bigint, null::text; return; end if;
      gate := tp_code_gate(c.status, c.code_hash, c.wrong_tries, c.expires_at, p_now, (p -> 'limits' ->> 'per_code')::int);
      if gate is not null then return query select gate, case when gate = 'code_expired' then null else 0 end, c.id, c.phone; return; end if;
      -- past its share of the phone's wrong codes today, a client is refused before its code is compared
      if p ->> 'client' is not null and tp_client_wrong_today(c.phone, c.mode, p ->> 'client', p_now) >= (p -> 'limits' ->> 'per_client_day')::int then
        return query select 'client_limited', null::int, c.id, c.phone; return;
      end if;
      -- a code made with a CODE_SECRET this instance lacks is no wrong try: the buyer's code may be right
      if c.secret_id is null or p -> 'hashes' ->> c.secret_id is null then return query select 'secret_unknown', null::int, c.id, c.phone; return; end if;
      -- HMACs under a server secret: equal or not, their timing tells nothing about the code
      if c.code_hash = p -> 'hashes' ->> c.secret_id then return query select 'right', null::int, c.id, c.phone; return; end if;
      -- the phone's wrong tries count across payments: serialized per phone (the right code needs no such lock)
      perform pg_advisory_xact_lock(hashtextextended('phone:' || c.mode || ':' || c.phone, 0));
      update payment_codes set wrong_tries = wrong_tries + 1 where id = c.id returning wrong_tries into wrong;
      insert into phone_wrong_tries (phone, mode, payment_id, at, client) values (c.phone, c.mode, c.payment_id, p_now, p ->> 'client');
      select * into after from tp_after_wrong_try(wrong, tp_phone_wrong_today(c.phone, c.mode, p_now), p -> 'limits', (p ->> 'shared_test_phone')::boolean);
      return query select after.verdict, after.tries_left, c.id, c.phone;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_check_sign_in_code(p jsonb)
 RETURNS TABLE(verdict text, tries_left integer)
 LANGUAGE plpgsql
AS $function$
    declare c sign_in_codes; gate text; wrong int; after record; v_now timestamptz := (p ->> 'now')::timestamptz;
    begin
      perform pg_advisory_xact_lock(hashtextextended('phone:live:' || (p ->> 'phone'), 0));
      select * into c from sign_in_codes where phone = p ->> 'phone' order by id desc limit 1;
      if not found then return query select 'code_dead', 0; return; end if;
      gate := tp_code_gate(c.status, c.code_hash, c.wrong_tries, c.expires_at, v_now, (p -> 'limits' ->> 'per_code')::int);
      if gate is not null then return query select gate, case when gate = 'code_expired' then null else 0 end; return; end if;
      if tp_client_wrong_today(c.phone, 'live', p ->> 'client', v_now) >= (p -> 'limits' ->> 'per_client_day')::int then
        return query select 'client_limited', null::int; return;
      end if;
      if p -> 'hashes' ->> c.secret_id is null then return query select 'secret_unknown', null::int; return; end if;
      if c.code_hash = p -> 'hashes' ->> c.secret_id then
        update sign_in_codes set status = 'used' where id = c.id;
        return query select 'right', null::int; return;
      end if;
      update sign_in_codes set wrong_tries = wrong_tries + 1 where id = c.id returning wrong_tries into wrong;
      insert into phone_wrong_tries (phone, mode, payment_id, at, client) values (c.phone, 'live', null, v_now, p ->> 'client');
      select * into after from tp_after_wrong_try(wrong, tp_phone_wrong_today(c.phone, 'live', v_now), p -> 'limits', false);
      if after.verdict = 'too_many' then update sign_in_codes set status = 'dead' where id = c.id; end if;
      return query select after.verdict, after.tries_left;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_client_wrong_today(p_phone text, p_mode text, p_client text, p_now timestamp with time zone)
 RETURNS integer
 LANGUAGE sql
 STABLE
AS $function$
      select count(*)::int from phone_wrong_tries w
      where w.phone = p_phone and w.mode = p_mode and w.client = p_client
        and w.at > greatest(p_now - interval '24 hours', coalesce((select lifted_at from limit_lifts l where l.phone = p_phone and l.mode = p_mode), '-infinity'))
        and w.at > coalesce((select lifted_at from client_limit_lifts l where l.client = p_client), '-infinity')
    $function$
CREATE OR REPLACE FUNCTION public.tp_code_gate(p_status text, p_code_hash text, p_wrong_tries integer, p_expires_at timestamp with time zone, p_now timestamp with time zone, p_per_code integer)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
      select case
        -- a code from before code_hash existed cannot be compared: the buyer asks for a new one
        when p_status <> 'live' or p_code_hash is null then 'code_dead'
        -- out of tries is dead even if the failure that follows was never written (the process died in between)
        when p_wrong_tries >= p_per_code then 'too_many'
        when p_expires_at <= p_now then 'code_expired'
      end
    $function$
CREATE OR REPLACE FUNCTION public.tp_confirm(p jsonb)
 RETURNS TABLE(outcome text, tries_left integer, payment_status text, notification_ids text[])
 LANGUAGE plpgsql
AS $function$
    declare r record;
    begin
      begin
        select * into r from tp_confirm_work(p);
        perform tp_count_hits(p -> 'hits');
      exception when sqlstate 'TP429' then
        perform tp_recount_hits(p -> 'hits', sqlerrm);
        return query select 'rate_limited', null::int, null::text, null::text[]; return;
      end;
      return query select r.outcome, r.tries_left, r.payment_status, r.notification_ids;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_confirm_work(p jsonb)
 RETURNS TABLE(outcome text, tries_left integer, payment_status text, notification_ids text[])
 LANGUAGE plpgsql
AS $function$
    declare pay record; v_now timestamptz := (p ->> 'now')::timestamptz; chk record; merchant_status text;
    begin
      select py.*, py.xmin::text as version, s.status as shop_status into pay from payments py join shops s on s.id = py.shop_id where py.id = p ->> 'payment_id' for update of py;
      -- a merchant sees only its own payments of its key's mode: anything else does not exist for it
      if not found or pay.merchant_id <> coalesce(p ->> 'merchant_id', pay.merchant_id) or pay.mode <> coalesce(p ->> 'mode', pay.mode) then
        return query select 'payment_not_found', null::int, null::text, null::text[]; return;
      end if;
      if p ->> 'merchant_id' is not null then
        -- under a share lock: a suspension waits for this confirm to end
        select m.status into merchant_status from merchants m where m.id = pay.merchant_id for share;
        if merchant_status = 'suspended' then return query select 'merchant_suspended', null::int, pay.status, null::text[]; return; end if;
      end if;
      if pay.status = any(array(select jsonb_array_elements_text(p -> 'statuses' -> 'paid'))) then
        -- a retried confirm with the code that paid gets the paid payment back; anything else is a conflict
        return query select case when exists (select 1 from (select c.* from payment_codes c where c.payment_id = pay.id order by c.seq desc limit 1) c
                                  where c.status = 'used' and c.code_hash = p -> 'hashes' ->> c.secret_id) then 'replay' else 'already_paid' end,
                            null::int, pay.status, null::text[];
        return;
      end if;
      if pay.status = any(array(select jsonb_array_elements_text(p -> 'statuses' -> 'open'))) and pay.expires_at <= v_now then
        return query select 'expired', null::int, pay.status, null::text[]; return;
      end if;
      if not pay.status = any(array(select jsonb_array_elements_text(p -> 'statuses' -> 'confirm'))) then
        return query select 'invalid_state', null::int, pay.status, null::text[]; return;
      end if;
      -- docs/merchant-guide.md#shops-methods-and-keys: a disabled shop takes no money, not even for a payment opened before
      if pay.shop_status = 'disabled' then return query select 'shop_disabled', null::int, pay.status, null::text[]; return; end if;
      if pay.version <> p ->> 'version' then return query select 'stale', null::int, pay.status, null::text[]; return; end if;
      select * into chk from tp_check_code(p, pay.id, v_now);
      if chk.verdict <> 'right' then return query select chk.verdict, chk.tries_left, pay.status, null::text[]; return; end if;
      if chk.phone is distinct from p -> 'paid' ->> 'phone' then return query select 'stale', null::int, pay.status, null::text[]; return; end if;
      return query select a.outcome, null::int, pay.status, a.notification_ids from tp_pay_approved(p, pay.id, chk.code_id) a;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_count_hits(p_hits jsonb)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
    declare h jsonb;
    begin
      for h in select x from jsonb_array_elements(coalesce(p_hits, '[]')) with ordinality as t (x, i) order by i loop
        if tp_hit(h ->> 'key', (h ->> 'window_start')::timestamptz) > (h ->> 'max')::int then
          raise exception using errcode = 'TP429', message = h ->> 'name';
        end if;
      end loop;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_create(p jsonb)
 RETURNS TABLE(outcome text, limit_name text, retry_after integer, codes_of_payment integer, invoice_no bigint, code_id bigint, code_seq integer)
 LANGUAGE plpgsql
AS $function$
    declare r record;
    begin
      begin
        select * into r from tp_create_work(p);
        perform tp_count_hits(p -> 'hits');
      exception when sqlstate 'TP429' then
        perform tp_recount_hits(p -> 'hits', sqlerrm);
        return query select 'rate_limited', sqlerrm, null::int, null::int, null::bigint, null::bigint, null::int; return;
      end;
      return query select r.outcome, r.limit_name, r.retry_after, r.codes_of_payment, r.invoice_no, r.code_id, r.code_seq;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_create_work(p jsonb)
 RETURNS TABLE(outcome text, limit_name text, retry_after integer, codes_of_payment integer, invoice_no bigint, code_id bigint, code_seq integer)
 LANGUAGE plpgsql
AS $function$
    declare r jsonb := p -> 'payment'; w record; v record; inv bigint; c record;
    begin
      -- a phone with no wallet, or a frozen one, creates nothing: the merchant hears why and may try another phone
      select * into w from tp_payer_wallet(r ->> 'phone', r ->> 'currency', r ->> 'mode');
      if not found then return query select 'no_wallet', null::text, null::int, null::int, null::bigint, null::bigint, null::int; return; end if;
      if w.refusal is not null then return query select w.refusal, null::text, null::int, null::int, null::bigint, null::bigint, null::int; return; end if;
      if w.purse is distinct from r ->> 'payer_purse' or w.holder_id is distinct from r ->> 'payer_wm' then
        return query select 'stale', null::text, null::int, null::int, null::bigint, null::bigint, null::int; return;
      end if;
      if not (p ->> 'prerequest')::boolean then
        select * into v from tp_send_verdict(r ->> 'id', r ->> 'phone', r ->> 'mode', (r ->> 'created_at')::timestamptz, p -> 'limits', false);
        if v.verdict <> 'ok' then return query select v.verdict, null::text, v.retry_after, v.codes_of_payment, null::bigint, null::bigint, null::int; return; end if;
      end if;
      inv := tp_insert_payment(r);
      if inv is null then return query select 'conflict', null::text, null::int, null::int, null::bigint, null::bigint, null::int; return; end if;
      -- docs/merchant-guide.md#the-result-notification: the merchant is asked before any code goes out
      if (p ->> 'prerequest')::boolean then return query select 'prerequest', null::text, null::int, 0, inv, null::bigint, null::int; return; end if;
      select * into c from tp_issue_code(p -> 'issue');
      return query select 'code_sent', null::text, null::int, v.codes_of_payment, inv, c.code_id, c.seq;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_hit(p_key text, p_window_start timestamp with time zone)
 RETURNS integer
 LANGUAGE sql
AS $function$
      insert into rate_counters (key, window_start, hits) values (p_key, p_window_start, 1)
      on conflict (key) do update set
        hits = case when rate_counters.window_start = excluded.window_start then rate_counters.hits + 1 else 1 end,
        window_start = excluded.window_start
      returning hits
    $function$
CREATE OR REPLACE FUNCTION public.tp_hold(p_id text, p_key text, p_purse text, p_amount bigint, p_currency text, p_mode text, p_at timestamp with time zone, p_expires_at timestamp with time zone)
 RETURNS TABLE(hold_id text, replayed boolean, refusal text)
 LANGUAGE plpgsql
AS $function$
    declare w wallets; earlier text;
    begin
      -- the wallet lock first: it also serializes two reservations with the same key
      select * into w from wallets where purse = p_purse for no key update;
      if not found then return query select null::text, false, 'wallet_not_found'; return; end if;
      select id into earlier from holds where key = p_key;
      if earlier is not null then return query select earlier, true, null::text; return; end if;
      if w.currency <> p_currency then return query select null::text, false, 'currency_mismatch'; return; end if;
      if w.mode <> p_mode then return query select null::text, false, 'mode_mismatch'; return; end if;
      if w.kind <> 'system' and w.balance - w.held < p_amount then return query select null::text, false, 'insufficient_funds'; return; end if;
      insert into holds (id, key, purse, amount, status, created_at, expires_at) values (p_id, p_key, p_purse, p_amount, 'active', p_at, p_expires_at);
      update wallets set held = held + p_amount where purse = p_purse;
      return query select p_id, false, null::text;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_insert_payment(r jsonb)
 RETURNS bigint
 LANGUAGE sql
AS $function$
      insert into payments (id, merchant_id, shop_id, payee_purse, currency, mode, amount, status, payment_no, description, source, create_key,
        phone, payer_purse, payer_wm, capture_mode, result_url, success_url, fail_url, success_method, fail_method, custom_fields, metadata, sim_mode, lang,
        created_at, updated_at, expires_at, browser_hash, buyer_email)
      values (r ->> 'id', r ->> 'merchant_id', r ->> 'shop_id', r ->> 'payee_purse', r ->> 'currency', r ->> 'mode', (r ->> 'amount')::bigint, r ->> 'status',
        (r ->> 'payment_no')::bigint, r ->> 'description', r ->> 'source', r ->> 'create_key', r ->> 'phone', r ->> 'payer_purse', r ->> 'payer_wm',
        r ->> 'capture_mode', r ->> 'result_url', r ->> 'success_url', r ->> 'fail_url', r ->> 'success_method', r ->> 'fail_method', r -> 'custom_fields',
        r -> 'metadata', (r ->> 'sim_mode')::smallint, r ->> 'lang', (r ->> 'created_at')::timestamptz, (r ->> 'updated_at')::timestamptz,
        (r ->> 'expires_at')::timestamptz, r ->> 'browser_hash', r ->> 'buyer_email')
      on conflict do nothing returning invoice_no
    $function$
CREATE OR REPLACE FUNCTION public.tp_issue_code(p jsonb)
 RETURNS TABLE(code_id bigint, seq integer)
 LANGUAGE plpgsql
AS $function$
    declare c jsonb := p -> 'code'; s jsonb := p -> 'sms'; u jsonb := p -> 'update'; new_id bigint; new_seq int;
    begin
      update payment_codes set status = 'dead' where payment_id = c ->> 'payment_id' and status = 'live';
      insert into payment_codes (payment_id, seq, phone, mode, counter, sent_at, expires_at, status, secret_id, code_hash)
        values (c ->> 'payment_id', coalesce((select max(pc.seq) from payment_codes pc where pc.payment_id = c ->> 'payment_id'), 0) + 1, c ->> 'phone', c ->> 'mode',
                (c ->> 'counter')::bigint, (c ->> 'sent_at')::timestamptz, (c ->> 'expires_at')::timestamptz, 'live', c ->> 'secret_id', c ->> 'code_hash')
        returning id, payment_codes.seq into new_id, new_seq;
      insert into sms_messages (id, merchant_id, payment_id, code_id, mode, kind, channel, phone, text_redacted, lang, status, created_at, updated_at)
        values (s ->> 'id', s ->> 'merchant_id', c ->> 'payment_id', new_id, c ->> 'mode', 'code', 'sms', c ->> 'phone', s ->> 'text_redacted', s ->> 'lang', 'queued',
                (c ->> 'sent_at')::timestamptz, (c ->> 'sent_at')::timestamptz);
      update payments set status = 'code_sent', phone = c ->> 'phone', payer_purse = u ->> 'payer_purse', payer_wm = u ->> 'payer_wm',
          prerequest_at = coalesce((u ->> 'prerequest_at')::timestamptz, prerequest_at), prerequest_phone = coalesce(u ->> 'prerequest_phone', prerequest_phone),
          unknown_phone = null, updated_at = (c ->> 'sent_at')::timestamptz
        where id = c ->> 'payment_id';
      return query select new_id, new_seq;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_lock_wallets(p_purses text[])
 RETURNS SETOF wallets
 LANGUAGE sql
AS $function$
      select * from wallets where purse = any(p_purses) order by substr(purse, 2, 9) = '000000000', purse for no key update
    $function$
CREATE OR REPLACE FUNCTION public.tp_pay_approved(p jsonb, p_payment_id text, p_code_id bigint)
 RETURNS TABLE(outcome text, notification_ids text[])
 LANGUAGE plpgsql
AS $function$
    declare pay payments; w wallets; paid jsonb := p -> 'paid'; mv jsonb := p -> 'move'; refusal text; moved_id bigint; held_again boolean;
    begin
      select * into pay from payments where id = p_payment_id;
      if (p ->> 'simulate_failure')::boolean then return query select 'simulated', null::text[]; return; end if;
      select * into w from wallets where phone = paid ->> 'phone' and currency = pay.currency and mode = pay.mode;
      if not found then return query select 'no_wallet', null::text[]; return; end if;
      -- docs/buyer-guide.md#freeze-i-lost-my-phone: a frozen wallet pays nothing, and the code stays live
      if w.status = 'frozen' then return query select 'wallet_frozen', null::text[]; return; end if;
      -- the notifications name the payer the service read: another wallet now means the plan is stale
      if w.purse is distinct from paid ->> 'payer_purse' or w.holder_id is distinct from paid ->> 'payer_wm' then return query select 'stale', null::text[]; return; end if;
      if pay.capture_mode = 'manual' then
        select h.refusal, h.replayed into refusal, held_again from tp_hold(mv ->> 'hold_id', mv ->> 'key', w.purse, pay.amount, pay.currency, pay.mode, (paid ->> 'updated_at')::timestamptz, (mv ->> 'expires_at')::timestamptz) h;
        -- as the transfer below: a hold already made for this payment means it was paid, and this plan must not mark it paid again
        if held_again then raise exception 'payment % was held before it was paid', pay.id; end if;
      else
        select t.refusal, t.transfer_id into refusal, moved_id from tp_transfer(mv ->> 'key', 'payment', pay.currency, pay.mode, (paid ->> 'updated_at')::timestamptz,
          mv -> 'metadata', mv -> 'legs', '{}', mv -> 'entries', (mv ->> 'transfer_id')::bigint) t;
        if moved_id is distinct from (mv ->> 'transfer_id')::bigint and refusal is null then raise exception 'payment % was moved before it was paid', pay.id; end if;
      end if;
      if refusal = 'insufficient_funds' then return query select 'insufficient_funds', null::text[]; return; end if;
      if refusal is not null then raise exception 'payment %: the ledger refused the movement (%)', pay.id, refusal; end if;
      if p_code_id is not null then update payment_codes set status = 'used' where id = p_code_id; end if;
      update payments set phone = paid ->> 'phone', payer_purse = w.purse, payer_wm = w.holder_id, status = paid ->> 'status',
          transfer_id = (paid ->> 'transfer_id')::bigint, trans_date = (paid ->> 'trans_date')::timestamptz, hold_id = paid ->> 'hold_id',
          amount_captured = (paid ->> 'amount_captured')::bigint, paid_at = (paid ->> 'paid_at')::timestamptz, fee = (paid ->> 'fee')::bigint,
          fee_refund = coalesce(paid ->> 'fee_refund', fee_refund), updated_at = (paid ->> 'updated_at')::timestamptz
        where id = pay.id;
      return query select 'paid', tp_write_outbox(p -> 'outbox');
    end $function$
CREATE OR REPLACE FUNCTION public.tp_payer_wallet(p_phone text, p_currency text, p_mode text)
 RETURNS TABLE(purse text, holder_id text, refusal text)
 LANGUAGE sql
 STABLE
AS $function$
      select w.purse, w.holder_id, case when w.status = 'frozen' then 'wallet_frozen' end
      from wallets w where w.phone = p_phone and w.currency = p_currency and w.mode = p_mode
    $function$
CREATE OR REPLACE FUNCTION public.tp_phone_wrong_today(p_phone text, p_mode text, p_now timestamp with time zone)
 RETURNS integer
 LANGUAGE sql
 STABLE
AS $function$
      select count(*)::int from phone_wrong_tries w where w.phone = p_phone and w.mode = p_mode
        and w.at > greatest(p_now - interval '24 hours', coalesce((select lifted_at from limit_lifts l where l.phone = p_phone and l.mode = p_mode), '-infinity'))
    $function$
CREATE OR REPLACE FUNCTION public.tp_recount_hits(p_hits jsonb, p_refused text)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
    declare h jsonb;
    begin
      for h in select x from jsonb_array_elements(coalesce(p_hits, '[]')) with ordinality as t (x, i) order by i loop
        perform tp_hit(h ->> 'key', (h ->> 'window_start')::timestamptz);
        exit when h ->> 'name' = p_refused;
      end loop;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_seconds_until(p_until timestamp with time zone, p_now timestamp with time zone)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE
AS $function$
      select greatest(1, ceil(extract(epoch from (p_until - p_now))))::int
    $function$
CREATE OR REPLACE FUNCTION public.tp_send_verdict(p_payment_id text, p_phone text, p_mode text, p_now timestamp with time zone, p_limits jsonb, p_shared boolean)
 RETURNS TABLE(verdict text, retry_after integer, codes_of_payment integer)
 LANGUAGE plpgsql
AS $function$
    declare lifted timestamptz; codes int; sends timestamptz[]; wrongs timestamptz[];
            per_day int := (p_limits ->> 'per_phone_day')::int; per_hour int := (p_limits ->> 'per_phone_hour')::int;
    begin
      perform pg_advisory_xact_lock(hashtextextended('phone:' || p_mode || ':' || p_phone, 0));
      lifted := coalesce((select lifted_at from limit_lifts where phone = p_phone and mode = p_mode), '-infinity');
      select count(*) into codes from payment_codes where payment_id = p_payment_id and delivery <> 'failed';
      -- the shared test phones answer every test merchant: only the per-payment cap applies to them
      wrongs := case when p_shared then '{}' else array(select at from phone_wrong_tries
        where phone = p_phone and mode = p_mode and at > greatest(p_now - interval '24 hours', lifted) order by at) end;
      sends := case when p_shared then '{}' else array(select at from (
          select sent_at as at from payment_codes where phone = p_phone and mode = p_mode and sent_at > greatest(p_now - interval '1 hour', lifted) and delivery <> 'failed'
          union all
          select created_at from sms_messages where phone = p_phone and mode = p_mode and kind in ('link', 'sign_in')
            and created_at > greatest(p_now - interval '1 hour', lifted) and (status <> 'failed' or gateway is not null)) s order by at) end;
      if cardinality(wrongs) >= per_day then
        return query select 'phone_locked', tp_seconds_until(wrongs[cardinality(wrongs) - per_day + 1] + interval '24 hours', p_now), codes; return;
      end if;
      if codes >= (p_limits ->> 'per_payment')::int then return query select 'payment_limit', null::int, codes; return; end if;
      if cardinality(sends) >= per_hour then
        return query select 'phone_limit', tp_seconds_until(sends[cardinality(sends) - per_hour + 1] + interval '1 hour', p_now), codes; return;
      end if;
      return query select 'ok', null::int, codes;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_take_sms(p_id text, p_at timestamp with time zone, p_hits jsonb, p_free text[])
 RETURNS TABLE(outcome text, sms jsonb)
 LANGUAGE plpgsql
AS $function$
    declare m sms_messages;
    begin
      select * into m from sms_messages where id = p_id;
      if not found then return query select 'missing', null::jsonb; return; end if;
      begin
        -- at most once: only a message of which nothing went out is taken, and 'unknown' until its gateway answers
        update sms_messages set status = 'unknown', updated_at = p_at where id = p_id and (status = 'queued' or (status = 'failed' and gateway is null));
        if not found then return query select 'gone', to_jsonb(m); return; end if;
        if not (m.mode = 'test' and m.phone = any(p_free)) then perform tp_count_hits(p_hits); end if;
      exception when sqlstate 'TP429' then
        perform tp_recount_hits(p_hits, sqlerrm);
        return query select 'rate_limited', to_jsonb(m); return;
      end;
      return query select 'taken', to_jsonb(m);
    end $function$
CREATE OR REPLACE FUNCTION public.tp_transfer(p_key text, p_kind text, p_currency text, p_mode text, p_at timestamp with time zone, p_metadata jsonb, p_legs jsonb, p_release jsonb DEFAULT '{}'::jsonb, p_entries jsonb DEFAULT '[]'::jsonb, p_id bigint DEFAULT NULL::bigint)
 RETURNS TABLE(transfer_id bigint, created_at timestamp with time zone, replayed boolean, refusal text, refused_purse text)
 LANGUAGE plpgsql
AS $function$
    declare purses text[]; amounts bigint[]; plan record; new_id bigint; total bigint := 0; leg bigint;
    begin
      select array_agg(l ->> 'purse' order by o), array_agg((l ->> 'amount')::bigint order by o) into purses, amounts
        from jsonb_array_elements(p_legs) with ordinality as t (l, o);
      if coalesce(cardinality(purses), 0) < 2 then raise exception 'a transfer needs at least two legs'; end if;
      foreach leg in array amounts loop
        if leg = 0 then raise exception 'transfer % has a zero leg', p_key; end if;
        total := total + leg;
      end loop;
      if total <> 0 then raise exception 'transfer % legs do not sum to zero', p_key; end if;
      select * into plan from tp_transfer_plan(purses, amounts, p_release, p_currency, p_mode);
      if plan.refusal is not null then
        -- a retry of a transfer that happened is a replay, even if the money has moved on since
        return query select r.transfer_id, r.created_at, r.refusal is null, r.refusal, null::text from tp_transfer_replay(p_key, purses, amounts) r;
        if not found then return query select null::bigint, null::timestamptz, false, plan.refusal, plan.refused_purse; end if;
        return;
      end if;
      -- p_id: a number the service drew from transfers_id_seq to sign the Result with it (tp_confirm)
      insert into transfers (id, key, kind, currency, mode, created_at, metadata)
        values (coalesce(p_id, nextval('transfers_id_seq')), p_key, p_kind, p_currency, p_mode, p_at, p_metadata)
        on conflict (key) do nothing returning id into new_id;
      if new_id is null then
        return query select r.transfer_id, r.created_at, r.refusal is null, r.refusal, null::text from tp_transfer_replay(p_key, purses, amounts) r;
        return;
      end if;
      insert into postings (transfer_id, purse, amount, balance_after, created_at)
        select new_id, l.purse, l.amount, l.after, p_at from unnest(purses, amounts, plan.balance_after) with ordinality as l (purse, amount, after, o) order by l.o;
      -- each wallet ends at its balance after its last leg; a capture releases its hold in the same write
      for i in 1 .. cardinality(purses) loop
        if purses[i] <> all(purses[i + 1:]) or i = cardinality(purses) then
          update wallets set balance = plan.balance_after[i], held = held - coalesce((p_release ->> purses[i])::bigint, 0) where purse = purses[i];
        end if;
      end loop;
      -- a transfer that moves no merchant wallet and brings no entries has nothing to explain
      if plan.moves_merchant or jsonb_array_length(p_entries) > 0 then perform tp_write_entries(new_id, p_at, purses, amounts, p_entries); end if;
      return query select new_id, p_at, false, null::text, null::text;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_transfer_plan(p_purses text[], p_amounts bigint[], p_release jsonb, p_currency text, p_mode text)
 RETURNS TABLE(balance_after bigint[], refusal text, refused_purse text, moves_merchant boolean)
 LANGUAGE plpgsql
AS $function$
    declare w wallets; found_purses text[] := '{}'; found_rows wallets[] := '{}'; afters bigint[] := '{}'; k int; running bigint; held_now bigint; merchant boolean := false;
    begin
      for w in select * from tp_lock_wallets(p_purses) loop
        found_purses := found_purses || w.purse;
        found_rows := found_rows || w;
      end loop;
      for i in 1 .. cardinality(p_purses) loop
        k := array_position(found_purses, p_purses[i]);
        if k is null then return query select afters, 'wallet_not_found', p_purses[i], merchant; return; end if;
        w := found_rows[k];
        if w.currency <> p_currency then return query select afters, 'currency_mismatch', p_purses[i], merchant; return; end if;
        if w.mode <> p_mode then return query select afters, 'mode_mismatch', p_purses[i], merchant; return; end if;
        merchant := merchant or w.kind = 'merchant';
        held_now := w.held - coalesce((p_release ->> w.purse)::bigint, 0);
        if held_now < 0 then raise exception 'releasing more than is held on %', w.purse; end if;
        -- a purse met before in this transfer goes on from its balance after that leg
        running := w.balance;
        for j in reverse i - 1 .. 1 loop
          if p_purses[j] = w.purse then running := afters[j]; exit; end if;
        end loop;
        running := running + p_amounts[i];
        -- a customer's or merchant's wallet never goes below what it has on hold; the operator's issuance wallet may
        if w.kind <> 'system' and running - held_now < 0 then return query select afters, 'insufficient_funds', p_purses[i], merchant; return; end if;
        afters := afters || running;
      end loop;
      return query select afters, null::text, null::text, merchant;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_transfer_replay(p_key text, p_purses text[], p_amounts bigint[])
 RETURNS TABLE(transfer_id bigint, created_at timestamp with time zone, refusal text)
 LANGUAGE sql
 STABLE
AS $function$
      select t.id, t.created_at,
             case when (select array_agg(p.purse || ':' || p.amount order by p.purse || ':' || p.amount) from postings p where p.transfer_id = t.id)
                     = (select array_agg(l.purse || ':' || l.amount order by l.purse || ':' || l.amount) from unnest(p_purses, p_amounts) as l (purse, amount))
                  then null else 'idempotency_key_reused' end
      from transfers t where t.key = p_key
    $function$
CREATE OR REPLACE FUNCTION public.tp_write_entries(p_transfer_id bigint, p_at timestamp with time zone, p_purses text[], p_amounts bigint[], p_entries jsonb)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
    declare unexplained text;
    begin
      -- every merchant wallet a transfer moves is explained by entries whose net sums to its leg, exactly (a bug otherwise)
      with legs as (select l.purse, sum(l.amount) as moved from unnest(p_purses, p_amounts) as l (purse, amount)
                      where (select w.kind from wallets w where w.purse = l.purse) = 'merchant' group by 1),
           explained as (select x ->> 'purse' as purse, sum((x ->> 'amount')::bigint - (x ->> 'fee')::bigint) as net from jsonb_array_elements(p_entries) x
                      where (select w.kind from wallets w where w.purse = x ->> 'purse') = 'merchant' group by 1)
      select string_agg(coalesce(legs.purse, explained.purse), ', ') into unexplained
      from legs full join explained on explained.purse = legs.purse where coalesce(legs.moved, 0) <> coalesce(explained.net, 0);
      if unexplained is not null then raise exception 'balance transactions do not explain the transfer on %', unexplained; end if;
      insert into balance_transactions (id, purse, merchant_id, type, currency, amount, fee, net, source, transfer_id, created_at, available_on, payout_id)
      select x ->> 'id', w.purse, w.merchant_id, x ->> 'type', w.currency, (x ->> 'amount')::bigint, (x ->> 'fee')::bigint,
             (x ->> 'amount')::bigint - (x ->> 'fee')::bigint, x ->> 'source', p_transfer_id, p_at,
             case when (x ->> 'delayed')::boolean then (x ->> 'available_from')::timestamptz + make_interval(days => w.payout_delay_days) else p_at end,
             x ->> 'payout_id'
      from jsonb_array_elements(p_entries) with ordinality as t (x, i),
        lateral (select wl.purse, wl.merchant_id, wl.currency, m.payout_delay_days from wallets wl join merchants m on m.id = wl.merchant_id
                 where wl.purse = x ->> 'purse' and wl.kind = 'merchant') w
      order by i;
    end $function$
CREATE OR REPLACE FUNCTION public.tp_write_outbox(p_plan jsonb)
 RETURNS text[]
 LANGUAGE plpgsql
AS $function$
    declare written text[];
    begin
      insert into receipts (payment_id, token_hash, secret_id, created_at)
        select r ->> 'payment_id', r ->> 'token_hash', r ->> 'secret_id', (r ->> 'created_at')::timestamptz
        from (select p_plan -> 'receipt' as r) x where jsonb_typeof(r) = 'object'
        on conflict (payment_id) do nothing;
      with ins as (
        insert into notifications (id, merchant_id, shop_id, payment_id, kind, event_type, url, content_type, body, status, next_attempt_at, created_at, dedupe_key)
        select m ->> 'id', m ->> 'merchant_id', m ->> 'shop_id', m ->> 'payment_id', m ->> 'kind', m ->> 'event_type', m ->> 'url', m ->> 'content_type',
               m ->> 'body', 'pending', (m ->> 'next_attempt_at')::timestamptz, (m ->> 'created_at')::timestamptz, m ->> 'dedupe_key'
        from jsonb_array_elements(coalesce(p_plan -> 'messages', '[]')) with ordinality as t (m, i) order by i
        on conflict (dedupe_key) where dedupe_key is not null do nothing
        returning id)
      select coalesce(array_agg(id), '{}') into written from ins;
      insert into sms_messages (id, merchant_id, payment_id, code_id, mode, kind, channel, template, fallback_of, phone, text_redacted, lang, status, created_at, updated_at)
        select s ->> 'id', s ->> 'merchant_id', s ->> 'payment_id', (s ->> 'code_id')::bigint, s ->> 'mode', s ->> 'kind', s ->> 'channel',
               nullif(s -> 'template', 'null'::jsonb), s ->> 'fallback_of', s ->> 'phone', s ->> 'text_redacted', s ->> 'lang', 'queued',
               (s ->> 'created_at')::timestamptz, (s ->> 'created_at')::timestamptz
        from (select m -> 'sms' as s, m ->> 'id' as notification_id from jsonb_array_elements(coalesce(p_plan -> 'messages', '[]')) m) x
        where jsonb_typeof(s) = 'object' and notification_id = any(written);
      return written;
    end $function$
