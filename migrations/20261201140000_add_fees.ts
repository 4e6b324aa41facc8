import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- the operator's fee wallet of a currency and mode (spec §10): one each, never below zero
    alter table wallets drop constraint wallets_kind_check;
    alter table wallets add constraint wallets_kind_check check (kind in ('customer', 'merchant', 'system', 'fees'));
    create unique index wallets_one_fee_account on wallets (currency, mode) where kind = 'fees';

    -- a shop's own fee; null follows the operator's default (DEFAULT_FEE_PERCENT, DEFAULT_FEE_FIXED, keep)
    alter table shops add column fee_percent_bp int check (fee_percent_bp between 0 and 10000);
    alter table shops add column fee_fixed bigint check (fee_fixed >= 0);
    alter table shops add column fee_refund text check (fee_refund in ('keep', 'return'));

    -- the fee charged when the money reached the merchant, and the rule then in force (its refunds follow it)
    alter table payments add column fee bigint not null default 0 check (fee >= 0 and fee <= amount);
    alter table payments add column fee_returned bigint not null default 0 check (fee_returned >= 0 and fee_returned <= fee);
    alter table payments add column fee_refund text check (fee_refund in ('keep', 'return'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table payments drop column fee_refund, drop column fee_returned, drop column fee;
    alter table shops drop column fee_refund, drop column fee_fixed, drop column fee_percent_bp;
    drop index wallets_one_fee_account;
    alter table wallets drop constraint wallets_kind_check;
    alter table wallets add constraint wallets_kind_check check (kind in ('customer', 'merchant', 'system'));
  `);
}
