import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- how and when the merchant is paid (spec §11); the minimum is in minor units of any currency
    alter table merchants add column payout_schedule text not null default 'weekly'
      check (payout_schedule in ('manual', 'daily', 'weekly', 'monthly'));
    alter table merchants add column payout_minimum bigint not null default 100 check (payout_minimum >= 0);
    alter table merchants add column payout_delay_days int not null default 7 check (payout_delay_days between 0 and 30);
    alter table merchants add column payout_account text;

    -- the payouts clearing wallet of a currency and mode: money on its way to the merchant's bank
    alter table wallets drop constraint wallets_kind_check;
    alter table wallets add constraint wallets_kind_check check (kind in ('customer', 'merchant', 'system', 'fees', 'clearing'));
    create unique index wallets_one_clearing_account on wallets (currency, mode) where kind = 'clearing';

    create table payouts (
      id text primary key,
      merchant_id text not null references merchants (id),
      shop_id text references shops (id),
      purse text not null references wallets (purse),
      currency text not null,
      mode text not null,
      amount bigint not null check (amount > 0),
      status text not null default 'pending' check (status in ('pending', 'paid', 'failed')),
      trigger text not null check (trigger in ('schedule', 'request')),
      -- the schedule's period (weekly:2026-11-30); at most one scheduled payout per wallet and period
      period text,
      payout_account text,
      reference text,
      failure_reason text,
      transfer_id bigint references transfers (id),
      settle_transfer_id bigint references transfers (id),
      created_at timestamptz not null,
      paid_at timestamptz,
      failed_at timestamptz,
      seq bigint generated always as identity
    );
    create unique index payouts_one_per_period on payouts (purse, period) where period is not null;
    create index payouts_of_merchant on payouts (merchant_id, seq desc);
    create index payouts_by_status on payouts (status, seq);

    -- every movement of a merchant wallet (spec §11), written in the transaction of the movement
    create table balance_transactions (
      id text primary key,
      purse text not null references wallets (purse),
      merchant_id text not null references merchants (id),
      type text not null check (type in ('payment', 'refund', 'fee_refund', 'payout', 'payout_failure', 'adjustment')),
      currency text not null,
      amount bigint not null,
      fee bigint not null default 0,
      net bigint not null,
      source text not null,
      transfer_id bigint references transfers (id),
      created_at timestamptz not null,
      available_on timestamptz not null,
      payout_id text references payouts (id),
      seq bigint generated always as identity,
      check (net = amount - fee)
    );
    create index balance_transactions_unsettled on balance_transactions (purse, available_on) where payout_id is null;
    create index balance_transactions_of_merchant on balance_transactions (merchant_id, seq desc);
    create index balance_transactions_of_payout on balance_transactions (payout_id, seq) where payout_id is not null;

    -- money already in merchant wallets before this change: one opening adjustment each, available at once,
    -- so that Σ net of a wallet's transactions equals its balance from the first day
    insert into balance_transactions (id, purse, merchant_id, type, currency, amount, fee, net, source, created_at, available_on)
    select 'txn_' || substr(md5(w.purse || clock_timestamp()::text), 1, 24), w.purse, w.merchant_id, 'adjustment', w.currency,
           w.balance, 0, w.balance, 'opening_balance', now(), now()
    from wallets w where w.kind = 'merchant' and w.balance <> 0 and w.merchant_id is not null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    -- a payout moved money through the clearing wallet: dropping it would unbalance the ledger
    do $$ begin
      if exists (select 1 from payouts) then raise exception 'payouts exist: this migration cannot be rolled back without losing money movements'; end if;
    end $$;
    drop table balance_transactions;
    drop table payouts;
    delete from wallets where kind = 'clearing';
    drop index wallets_one_clearing_account;
    alter table wallets drop constraint wallets_kind_check;
    alter table wallets add constraint wallets_kind_check check (kind in ('customer', 'merchant', 'system', 'fees'));
    alter table merchants drop column payout_account, drop column payout_delay_days, drop column payout_minimum, drop column payout_schedule;
  `);
}
