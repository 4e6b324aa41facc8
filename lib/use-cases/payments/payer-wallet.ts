import type { Knex } from '../../postgres/db.js';
import { findWalletByPhone } from '../../store/wallets.js';
import { refuseFrozen } from '../../domain/wallet-freeze.js';
import type { Currency } from '../../domain/currency.js';
import type { Mode } from '../../domain/ledger.js';
import type { Wallet } from '../../domain/wallet.js';

/**
 * The wallet a payment would debit, read once by each path that sends a code or a pay link or pays (send-code,
 * send-pay-link, confirm-payment): a frozen one is refused here with `409 wallet_frozen` (docs/buyer-guide.md#freeze-i-lost-my-phone).
 */
export async function payerWallet(trx: Knex.Transaction, phone: string, currency: Currency, mode: Mode): Promise<Wallet | undefined> {
  const wallet = await findWalletByPhone(trx, phone, currency, mode);
  return wallet && refuseFrozen(wallet);
}
