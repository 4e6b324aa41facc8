import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table wallets (
      purse text primary key check (purse ~ '^[ZERU][0-9]{12}$'),
      holder_id text not null check (holder_id ~ '^[0-9]{12}$'),
      currency text not null check (currency in ('USD', 'EUR', 'RUB', 'UAH')),
      kind text not null check (kind in ('customer', 'merchant', 'system')),
      mode text not null check (mode in ('live', 'test')),
      phone text check (phone ~ '^[1-9][0-9]{6,14}$'),
      merchant_id text,
      balance bigint not null default 0,
      held bigint not null default 0 check (held >= 0),
      created_at timestamptz not null,
      constraint wallets_letter_matches_currency check (left(purse, 1) = case currency
        when 'USD' then 'Z' when 'EUR' then 'E' when 'RUB' then 'R' when 'UAH' then 'U' end),
      -- only the issuance account of a currency may go below zero
      constraint wallets_balance_not_negative check (kind = 'system' or balance >= 0),
      constraint wallets_holds_covered check (kind = 'system' or balance - held >= 0),
      constraint wallets_phone_only_on_customer check (phone is null or kind = 'customer')
    );
    create unique index wallets_phone_link on wallets (phone, currency, mode) where phone is not null;
    create unique index wallets_one_issuance_account on wallets (currency, mode) where kind = 'system';

    create table transfers (
      id bigserial primary key,
      key text not null unique,
      kind text not null,
      currency text not null,
      mode text not null check (mode in ('live', 'test')),
      created_at timestamptz not null,
      metadata jsonb not null default '{}'
    );

    create table postings (
      id bigserial primary key,
      transfer_id bigint not null references transfers (id),
      purse text not null references wallets (purse),
      amount bigint not null check (amount <> 0),
      balance_after bigint not null,
      created_at timestamptz not null
    );
    create index postings_by_purse on postings (purse, id);
    create index postings_by_transfer on postings (transfer_id);

    create function ledger_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'the ledger is append-only: % on % is refused', tg_op, tg_table_name
        using errcode = 'restrict_violation';
    end $$;
    create trigger postings_append_only before update or delete on postings
      for each row execute function ledger_refuse_change();
    create trigger postings_no_truncate before truncate on postings
      for each statement execute function ledger_refuse_change();
    create trigger transfers_append_only before update or delete on transfers
      for each row execute function ledger_refuse_change();
    create trigger transfers_no_truncate before truncate on transfers
      for each statement execute function ledger_refuse_change();

    -- checked at commit, when all postings of the transfer are in
    create function ledger_transfer_balances() returns trigger language plpgsql as $$
    declare total bigint; legs int;
    begin
      select coalesce(sum(amount), 0), count(*) into total, legs from postings where transfer_id = new.transfer_id;
      if total <> 0 or legs < 2 then
        raise exception 'transfer % does not balance (sum %, % postings)', new.transfer_id, total, legs
          using errcode = 'check_violation';
      end if;
      return null;
    end $$;
    create constraint trigger postings_transfer_balances after insert on postings
      deferrable initially deferred for each row execute function ledger_transfer_balances();

    create table holds (
      id text primary key,
      key text not null unique,
      purse text not null references wallets (purse),
      amount bigint not null check (amount > 0),
      status text not null check (status in ('active', 'captured', 'released')),
      captured_amount bigint check (captured_amount > 0 and captured_amount <= amount),
      transfer_id bigint references transfers (id),
      created_at timestamptz not null,
      expires_at timestamptz not null,
      settled_at timestamptz,
      check ((status = 'active') = (settled_at is null)),
      check ((status = 'captured') = (transfer_id is not null))
    );
    create index holds_active_by_expiry on holds (expires_at) where status = 'active';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table holds;
    drop table postings;
    drop table transfers;
    drop table wallets;
    drop function ledger_transfer_balances();
    drop function ledger_refuse_change();
  `);
}
