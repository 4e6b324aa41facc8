import type { PayoutSchedule } from './balance.js';
import type { MerchantId } from './ids.js';
import type { Mode } from './ledger.js';
import type { Minor } from './money.js';

/** The merchant's account: who it is, its mode and status. The payment settings live on its shops (store/shops.ts). */
export type Merchant = {
  id: MerchantId;
  name: string;
  mode: Mode;
  holderId: string;
  status: MerchantStatus;
  createdAt: Date;
  /** How and when the merchant is paid (docs/merchant-guide.md#balance-payouts-and-statements); the minimum in minor units applies to scheduled runs only. */
  payoutSchedule: PayoutSchedule;
  payoutMinimum: Minor;
  payoutDelayDays: number;
  payoutAccount: string | null;
};

export type MerchantStatus = 'active' | 'suspended';
