import type { Currency } from './currency.js';
import type { MerchantId, PayoutId, ShopId } from './ids.js';
import type { Mode } from './ledger.js';
import type { Minor } from './money.js';

export type PayoutStatus = 'pending' | 'paid' | 'failed';

/** A payout of a merchant wallet (lib/store/payouts.ts). */
export type Payout = {
  id: PayoutId;
  merchantId: MerchantId;
  shopId: ShopId | null;
  purse: string;
  currency: Currency;
  mode: Mode;
  amount: Minor;
  status: PayoutStatus;
  trigger: 'schedule' | 'request';
  period: string | null;
  payoutAccount: string | null;
  reference: string | null;
  failureReason: string | null;
  transferId: bigint | null;
  createdAt: Date;
  paidAt: Date | null;
  failedAt: Date | null;
  seq: bigint;
};
