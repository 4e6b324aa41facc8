import type { Deps } from '../shared/deps.js';
import { currentSignInCode } from '../../store/sign-in-codes.js';
import type { Phone } from '../../domain/phone.js';
import type { SignInCode } from '../../domain/sign-in.js';

/** The phone's last sign-in code, for the code step's expiry and resend countdown (never the code). */
export function readSignInCode(deps: Pick<Deps, 'db'>, phone: Phone): Promise<SignInCode | undefined> {
  return currentSignInCode(deps.db, phone);
}
