import type { Knex } from 'knex';

// the operator's accounts of every currency and mode exist from the start: the transfer that pays a
// merchant never spends a statement making sure its fee wallet is there (it runs under wallet locks)
const LETTERS: Record<string, string> = { USD: 'Z', EUR: 'E', RUB: 'R', UAH: 'U' };
const ACCOUNTS = [
  { kind: 'system', digit: { live: '1', test: '2' } },
  { kind: 'fees', digit: { live: '3', test: '4' } },
  { kind: 'clearing', digit: { live: '5', test: '6' } },
] as const;

export async function up(knex: Knex): Promise<void> {
  for (const [currency, letter] of Object.entries(LETTERS)) {
    for (const mode of ['live', 'test'] as const) {
      for (const account of ACCOUNTS) {
        await knex.raw(
          `insert into wallets (purse, holder_id, currency, kind, mode, created_at) values (?, '000000000000', ?, ?, ?, now()) on conflict do nothing`,
          [`${letter}00000000000${account.digit[mode]}`, currency, account.kind, mode],
        );
      }
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  // only accounts no money moved through go: the others are part of the ledger
  await knex.raw(`delete from wallets w where w.holder_id = '000000000000' and w.kind in ('system', 'fees', 'clearing')
    and not exists (select 1 from postings p where p.purse = w.purse)`);
}
