import { formatAmount } from '../domain/money.js';
import type { WalletEntry } from '../domain/wallet-entry.js';

/** One movement of a wallet as the operator reads it (GET /admin/v1/wallets?phone=). */
export function walletEntryJson(e: WalletEntry) {
  return {
    id: String(e.id), transfer_id: String(e.transferId), kind: e.kind, amount: formatAmount(e.amount),
    balance_after: formatAmount(e.balanceAfter), payment_id: e.paymentId, created_at: e.at.toISOString(),
  };
}
