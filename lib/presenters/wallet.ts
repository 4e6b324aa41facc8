import { e164 } from '../domain/phone.js';
import { formatAmount } from '../domain/money.js';
import { available } from '../domain/ledger.js';
import type { Wallet } from '../domain/wallet.js';

export function walletJson(w: Wallet) {
  return {
    purse: w.purse,
    holder_id: w.holderId,
    currency: w.currency,
    kind: w.kind,
    mode: w.mode,
    phone: w.phone ? e164(w.phone) : null,
    balance: formatAmount(w.balance),
    held: formatAmount(w.held),
    available: formatAmount(available(w)),
    created_at: w.createdAt.toISOString(),
  };
}
