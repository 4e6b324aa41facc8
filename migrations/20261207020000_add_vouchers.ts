import type { Knex } from 'knex';

// docs/operator-guide.md#vouchers-and-cash-in: prepaid codes backed by a float wallet per currency and mode
// (`…0007` live, `…0008` test), and the cashiers' daily cash-in totals
const LETTERS: Record<string, string> = { USD: 'Z', EUR: 'E', RUB: 'R', UAH: 'U' };

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table wallets drop constraint wallets_kind_check;
    alter table wallets add constraint wallets_kind_check check (kind in ('customer', 'merchant', 'system', 'fees', 'clearing', 'vouchers'));
    create unique index wallets_one_voucher_float on wallets (currency, mode) where kind = 'vouchers';

    create table vouchers (
      id text primary key check (id ~ '^vch_[0-9a-z]{24}$'),
      batch_id text not null check (batch_id ~ '^vbt_[0-9a-z]{24}$'),
      -- HMAC-SHA256 of the normalised code under a key derived from CODE_SECRET; the code itself is never kept
      code_hash text not null unique,
      -- which CODE_SECRET hashed it (its id, as codes keep one), so a rotation can tell which vouchers still need the old one
      secret_id text not null,
      currency text not null check (currency in ('USD', 'EUR', 'RUB', 'UAH')),
      mode text not null check (mode in ('live', 'test')),
      amount bigint not null check (amount > 0),
      status text not null default 'active' check (status in ('active', 'redeemed', 'expired', 'void')),
      expires_at timestamptz,
      created_at timestamptz not null,
      ended_at timestamptz,
      redeemed_purse text references wallets (purse),
      end_transfer_id bigint references transfers (id),
      issue_transfer_id bigint not null references transfers (id),
      check ((status = 'active') = (ended_at is null)),
      check ((status = 'redeemed') = (redeemed_purse is not null))
    );
    create index vouchers_by_batch on vouchers (batch_id, id);
    create index vouchers_by_status on vouchers (status, id);
    -- the expiry job claims due active vouchers through this index only
    create index vouchers_active_by_expiry on vouchers (expires_at) where status = 'active' and expires_at is not null;

    -- cash-in per cashier, currency and UTC day: the row is locked by each top-up so two at once cannot both pass the limit
    create table cashier_day_totals (
      cashier_id text not null,
      currency text not null check (currency in ('USD', 'EUR', 'RUB', 'UAH')),
      day date not null,
      total bigint not null default 0 check (total >= 0),
      primary key (cashier_id, currency, day)
    );

  `);
  for (const [currency, letter] of Object.entries(LETTERS)) {
    for (const [mode, digit] of [['live', '7'], ['test', '8']] as const) {
      await knex.raw(
        `insert into wallets (purse, holder_id, currency, kind, mode, created_at) values (?, '000000000000', ?, 'vouchers', ?, now()) on conflict do nothing`,
        [`${letter}00000000000${digit}`, currency, mode],
      );
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  // fails while a float wallet holds postings: that money is part of the ledger
  await knex.raw(`
    drop table cashier_day_totals;
    drop table vouchers;
    delete from wallets where kind = 'vouchers';
    drop index wallets_one_voucher_float;
    alter table wallets drop constraint wallets_kind_check;
    alter table wallets add constraint wallets_kind_check check (kind in ('customer', 'merchant', 'system', 'fees', 'clearing'));
  `);
}
