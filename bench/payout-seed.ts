import type { Knex } from '../lib/postgres/db.js';
import { issuancePurse, SYSTEM_HOLDER_ID } from '../lib/domain/wallet.js';

/**
 * Merchants with money ready to pay out, written in bulk by SQL (a million sales through the API
 * would take the bench longer than the run it measures): each merchant is on a daily schedule with
 * no delay, its wallet holds `perMerchant` sales of 1.00 as balance transactions, and the ledger
 * stays exact: one funding transfer from the issuance account, balances and running balances included.
 */
export async function seedPayoutMerchants(db: Knex, merchants: number, perMerchant: number): Promise<void> {
  const each = BigInt(perMerchant) * 100n;
  const issuance = issuancePurse('USD', 'live');
  await db.transaction(async (trx) => {
    await trx.raw(`insert into wallets (purse, holder_id, currency, kind, mode, created_at) values (?, ?, 'USD', 'system', 'live', now()) on conflict do nothing`, [issuance, SYSTEM_HOLDER_ID]);
    await trx.raw(`
      insert into merchants (id, name, mode, holder_id, created_at, payout_schedule, payout_delay_days)
      select 'mch_payoutbench' || lpad(i::text, 13, '0'), 'Payout Bench ' || i, 'live', (300000000000 + i)::text, now(), 'daily', 0
      from generate_series(1, ?::int) i`, [merchants]);
    // the shops' secrets are never opened here (no payment, no webhook URL): a placeholder stands in
    await trx.raw(`
      insert into shops (id, merchant_id, name, secret_key, webhook_secret, hash_method, success_method, fail_method, created_at)
      select 'shp_payoutbench' || lpad(i::text, 13, '0'), 'mch_payoutbench' || lpad(i::text, 13, '0'), 'Payout Bench ' || i,
             'unused', 'unused', 'sha256', 'GET', 'GET', now()
      from generate_series(1, ?::int) i`, [merchants]);
    await trx.raw(`
      insert into wallets (purse, holder_id, currency, kind, mode, merchant_id, shop_id, balance, created_at)
      select 'Z' || (300000000000 + i)::text, (300000000000 + i)::text, 'USD', 'merchant', 'live',
             'mch_payoutbench' || lpad(i::text, 13, '0'), 'shp_payoutbench' || lpad(i::text, 13, '0'), ?::bigint, now()
      from generate_series(1, ?::int) i`, [String(each), merchants]);
    const { rows: [transfer] } = await trx.raw(`insert into transfers (key, kind, currency, mode, created_at) values ('bench-payout-seed', 'topup', 'USD', 'live', now()) returning id`);
    const { rows: [issued] } = await trx.raw(`update wallets set balance = balance - ?::bigint where purse = ? returning balance`, [String(each * BigInt(merchants)), issuance]);
    await trx.raw(`insert into postings (transfer_id, purse, amount, balance_after, created_at) values (?, ?, ?::bigint, ?::bigint, now())`,
      [String(transfer.id), issuance, String(-each * BigInt(merchants)), String(issued.balance)]);
    await trx.raw(`
      insert into postings (transfer_id, purse, amount, balance_after, created_at)
      select ?, 'Z' || (300000000000 + i)::text, ?::bigint, ?::bigint, now() from generate_series(1, ?::int) i`, [String(transfer.id), String(each), String(each), merchants]);
    await trx.raw(`
      insert into balance_transactions (id, purse, merchant_id, type, currency, amount, fee, net, source, transfer_id, created_at, available_on)
      select 'txn_pb' || lpad(i::text, 9, '0') || lpad(j::text, 9, '0'), 'Z' || (300000000000 + i)::text, 'mch_payoutbench' || lpad(i::text, 13, '0'),
             'payment', 'USD', 100, 0, 100, 'seed', ?, now() - interval '2 days', now() - interval '1 day'
      from generate_series(1, ?::int) i, generate_series(1, ?::int) j`, [String(transfer.id), merchants, perMerchant]);
  });
  await db.raw('analyze');
}
