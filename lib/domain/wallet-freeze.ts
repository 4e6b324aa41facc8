import { AppError } from './errors.js';
import type { UserId } from './ids.js';
import type { Wallet } from './wallet.js';

/**
 * Who freezes or unfreezes a phone's wallets (docs/buyer-guide.md#freeze-i-lost-my-phone): the buyer signed in with an SMS
 * code, the buyer signed in with a passkey, or an operator of the console.
 */
export type FreezeBy =
  | { kind: 'sms_session'; userId: UserId; ip: string | null }
  | { kind: 'passkey'; userId: UserId; ip: string | null }
  | { kind: 'operator'; userId: UserId; email: string | null; ip: string | null };

/** Whoever found the phone has its SIM, so an SMS code alone never unfreezes: only an operator or a passkey does. */
export function mayUnfreeze(by: FreezeBy): boolean {
  return by.kind === 'operator' || by.kind === 'passkey';
}

/** The one rule every payment path applies where it reads the payer's wallet: a frozen wallet pays nothing and is sent no code or link. */
export function refuseFrozen<W extends Pick<Wallet, 'status'>>(wallet: W): W {
  if (wallet.status === 'frozen') {
    throw new AppError('wallet_frozen', 'The wallet linked to this phone is frozen: its owner reported the phone lost');
  }
  return wallet;
}
