import { AppError } from './errors.js';
import type { UserId } from './ids.js';

/**
 * Who freezes or unfreezes a phone's wallets (docs/buyer-guide.md#freeze-i-lost-my-phone): the buyer signed in with an SMS
 * code, the buyer signed in with a passkey, or an operator of the console (or of the CLI: no user, `email` is `cli:<user>`).
 */
export type FreezeBy =
  | { kind: 'sms_session'; userId: UserId; ip: string | null }
  | { kind: 'passkey'; userId: UserId; ip: string | null }
  | { kind: 'operator'; userId: UserId | null; email: string | null; ip: string | null };

/** Whoever found the phone has its SIM, so an SMS code alone never unfreezes: only an operator or a passkey does. */
export function mayUnfreeze(by: FreezeBy): boolean {
  return by.kind === 'operator' || by.kind === 'passkey';
}

/** What a frozen wallet's owner and the merchant hear; the rule itself is tp_payer_wallet's (migrations/20261208100200_create_statement.ts). */
export function frozenError(): AppError {
  return new AppError('wallet_frozen', 'The wallet linked to this phone is frozen: its owner reported the phone lost');
}
