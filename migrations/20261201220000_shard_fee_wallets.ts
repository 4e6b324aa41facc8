import type { Knex } from 'knex';

// Spec §10's fee wallet of a currency and mode becomes 32 ledger accounts (lib/domain/wallet.ts,
// FEE_WALLET_SHARDS): its own purse `…0003` (shard 0, holding every fee charged before this
// migration) and `…0013` to `…0313` (`…4` in test mode), so payments do not queue on one row lock.
const LETTERS: Record<string, string> = { USD: 'Z', EUR: 'E', RUB: 'R', UAH: 'U' };
const SHARDS = 32;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('drop index wallets_one_fee_account');
  for (const [currency, letter] of Object.entries(LETTERS)) {
    for (const [mode, digit] of [['live', '3'], ['test', '4']] as const) {
      for (let shard = 1; shard < SHARDS; shard++) {
        await knex.raw(
          `insert into wallets (purse, holder_id, currency, kind, mode, created_at) values (?, '000000000000', ?, 'fees', ?, now()) on conflict do nothing`,
          [`${letter}000000000${String(shard).padStart(2, '0')}${digit}`, currency, mode],
        );
      }
    }
  }
  // every account of a fee wallet is in the reserved range, of the system holder
  await knex.raw(`create index wallets_fee_accounts on wallets (currency, mode) where kind = 'fees'`);
}

export async function down(knex: Knex): Promise<void> {
  // fails while a shard holds postings: the fees in it are part of the ledger and cannot go back to one account
  await knex.raw(`drop index wallets_fee_accounts;
    delete from wallets w where w.kind = 'fees' and substr(w.purse, 11, 2) <> '00' and not exists (select 1 from postings p where p.purse = w.purse);
    create unique index wallets_one_fee_account on wallets (currency, mode) where kind = 'fees'`);
}
