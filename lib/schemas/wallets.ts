import { z } from 'zod';
import { phoneInput } from './common.js';
import { at, money, walletObject } from './objects.js';

/** GET /admin/v1/wallets?phone=: the exact phone, in any common notation with its country code (no partial search). */
export const walletsOfPhoneQuery = z.strictObject({ phone: phoneInput.meta({ description: 'The exact phone number with its country code', example: '+79031234567' }) });

export const walletEntryObject = z.strictObject({
  id: z.string().meta({ description: 'The posting', example: '5521' }),
  transfer_id: z.string().meta({ description: 'The ledger transfer (the transaction number)', example: '1187' }),
  kind: z.string().meta({ description: 'What moved the money: payment, refund, topup, voucher, hold, capture…', example: 'topup' }),
  amount: z.string().meta({ description: 'Signed: negative when money left the wallet', example: '100.00' }),
  balance_after: money('The balance after this movement'),
  payment_id: z.string().nullable(),
  created_at: at(),
}).meta({ id: 'WalletEntry' });

export const phoneWalletList = z.strictObject({
  data: z.array(walletObject.extend({ history: z.array(walletEntryObject).meta({ description: 'The latest 50 movements, newest first' }) })),
}).meta({ id: 'PhoneWalletList' });
