import type { Knex } from '../../postgres/db.js';
import * as wallets from '../../store/wallets.js';
import { postTransfer } from '../../ledger/transfer.js';
import { ensurePhoneWallet } from './create-wallet.js';
import { issuancePurse, SYSTEM_HOLDER_ID } from '../../domain/wallet.js';
import { newId } from '../../domain/ids.js';
import { testPhoneBehaviour, TEST_PHONE_BALANCE } from '../../domain/test-phones.js';
import type { Currency } from '../../domain/currency.js';
import type { Mode } from '../../domain/ledger.js';

/**
 * A test phone's wallet, made ready inside the caller's transaction: it exists (except for the
 * no-wallet phone) and holds 1,000.00 (the succeeding and SMS-lost phones, refilled by a test-mode
 * issuance transfer) or nothing (the insufficient-funds phone). Live mode: nothing happens.
 */
export async function readyTestPhoneWallet(trx: Knex.Transaction, phone: string, currency: Currency, mode: Mode, at: Date): Promise<void> {
  const behaviour = testPhoneBehaviour(phone, mode);
  if (!behaviour || behaviour === 'no_wallet') return;
  const wallet = await ensurePhoneWallet(trx, { phone, currency, mode, at });
  const target = behaviour === 'insufficient_funds' ? 0n : TEST_PHONE_BALANCE;
  const missing = target - (wallet.balance - wallet.held);
  if (behaviour === 'insufficient_funds' || missing <= 0n) return;
  const source = issuancePurse(currency, mode);
  await wallets.ensureIssuanceWallet(trx, { purse: source, holderId: SYSTEM_HOLDER_ID, currency, mode, createdAt: at });
  await postTransfer(trx, {
    key: `test-phone:${wallet.purse}:${newId('key')}` /* computed under the phone's lock from the balance now: each refill is its own */, kind: 'topup', currency, mode, at,
    legs: [{ purse: source, amount: -missing }, { purse: wallet.purse, amount: missing }],
  });
}
