import assert from 'node:assert/strict';
import type { TestApp } from './test-app.js';
import { api, createBuyer, lastCode, type TestMerchant } from './merchant.js';
import type { PaymentId } from '../../lib/domain/ids.js';
import type { Currency } from '../../lib/domain/currency.js';

export type Buyer = Awaited<ReturnType<typeof createBuyer>>;

/** A payment as the merchant API answers it; tests read any field, so the rest stay loose. */
export type PaymentBody = { id: PaymentId; status: string; amount: string; [field: string]: any };

export type PayOptions = {
  /** pay from this buyer instead of a new one */
  buyer?: Buyer;
  /** a new buyer's balance (default 100.00), currency and mode (default the merchant's) */
  balance?: string;
  currency?: Currency;
  mode?: 'live' | 'test';
  /** wait until the notifier has delivered what the payment enqueued */
  notified?: boolean;
};

/**
 * A payment created through the merchant API and confirmed with the code the buyer got by SMS.
 * `extra` adds or overrides create fields (payment_no, description, capture: 'manual', payee_purse…).
 */
export async function payNow(t: TestApp, merchant: TestMerchant, amount = '10.00', extra: Record<string, unknown> = {}, options: PayOptions = {}): Promise<{ payment: PaymentBody; buyer: Buyer }> {
  const buyer = options.buyer ?? await createBuyer(t, options.balance ?? '100.00', { currency: options.currency, mode: options.mode ?? merchant.mode });
  const client = api(t, merchant);
  const created = await client.post('/payments', { payee_purse: merchant.purse, amount, phone: buyer.phone, ...extra }).expect(201);
  const paid = await client.post(`/payments/${created.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);
  if (options.notified) await t.app.notifier.idle();
  return { payment: paid.body, buyer };
}

export type WalletShown = { purse: string; balance: string; available: string; held: string; [field: string]: unknown };

/** A wallet as the admin API shows it (amounts as strings, "10.00"). */
export async function walletOf(t: TestApp, purse: string): Promise<WalletShown> {
  return (await t.admin('get', `/admin/v1/wallets/${purse}`).expect(200)).body;
}

/** A wallet's balance as the admin API shows it ("10.00"). */
export async function walletBalance(t: TestApp, purse: string): Promise<string> {
  return (await walletOf(t, purse)).balance;
}

/** The operator's ledger check is clean; its problems are in the failure message when not. */
export async function assertLedgerClean(t: TestApp, message = 'the ledger check'): Promise<void> {
  const check = await t.admin('get', '/admin/v1/ledger/check').expect(200);
  assert.equal(check.body.ok, true, `${message}: ${JSON.stringify(check.body.problems)}`);
}
