import { walletsOfPhoneQuery, phoneWalletList } from '../../schemas/wallets.js';
import * as ex from './examples.js';
import type { Operation } from './operation.js';

/** The console's wallet page for scripts (docs/operator-guide.md#operator-console). */
export const walletOfPhoneOps: Operation[] = [
  {
    method: 'get', path: '/wallets', tag: 'Wallets', summary: 'Wallets of a phone',
    description: 'The wallets linked to exactly this phone (every currency and mode; no partial search), each with its latest 50 movements, newest first. No wallet: an empty list.',
    query: walletsOfPhoneQuery,
    answer: {
      status: 200, description: 'The phone\'s wallets', schema: phoneWalletList,
      example: { data: [{ ...ex.wallet, purse: ex.PAYER_PURSE, kind: 'customer', phone: '+79031234567', history: [{ id: '5521', transfer_id: '1187', kind: 'topup', amount: '100.00', balance_after: '100.00', payment_id: null, created_at: '2026-12-01T10:00:00.000Z' }] }] },
    },
    errors: [],
  },
];
