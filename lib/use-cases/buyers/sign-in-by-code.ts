import type { Deps } from '../shared/deps.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import * as signInCodes from '../../store/sign-in-codes.js';
import * as codes from '../../store/codes.js';
import * as users from '../../store/users.js';
import { listPhoneWallets } from '../../store/buyer-wallets.js';
import { lockPhoneWallets } from '../../store/wallets.js';
import { insertAudit } from '../../store/audit-log.js';
import { consume, giveBack, rateLimited } from '../limits/rate-limit.js';
import { codeMatches } from '../payments/code-secrets.js';
import { startSession, auditActor, type SignedIn } from '../users/session.js';
import { ensurePhoneWallet } from './create-wallet.js';
import { AppError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { looksLikeCode } from '../../domain/code.js';
import { afterWrongTry, codeUsable } from '../../domain/code-policy.js';
import { DAY_MS } from '../../domain/time.js';
import { SIGN_IN_MODE, signInCodeSubject } from '../../domain/sign-in.js';
import type { Phone } from '../../domain/phone.js';
import type { User } from '../../domain/user.js';

type SignInDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'observer'>;
export type CodeSignIn = { phone: Phone; code: string; /** Keyed as the limits key it (clientOf()). */ client: string; ip: string | null };

/**
 * The code of /me's sign-in (docs/buyer-guide.md#me--the-buyers-wallet-page): a wrong code is counted per address before
 * it is compared (given back when right), per phone with the wrong payment codes, and per phone and
 * address; the code dies after its tries. A right code makes the phone's buyer on its first sign-in
 * and, with WALLET_SIGNUP=open, its first wallet; then a session starts.
 */
export async function signInByCode(deps: SignInDeps, input: CodeSignIn): Promise<SignedIn & { user: User }> {
  const digits = deps.config.codes.length;
  if (!looksLikeCode(input.code, digits)) throw new AppError('invalid_request', `The code is ${digits} digits`, { errors: [{ field: 'code', message: `${digits} digits` }] });
  const at = deps.clock.now();
  await consume(deps, 'page_wrong_codes', input.client);
  const outcome = await inTransaction(deps.db, (trx) => checkCode(deps, trx, input));
  if ('error' in outcome) throw outcome.error;
  await giveBack(deps, 'page_wrong_codes', input.client, at);
  const session = await startSession(deps, outcome.user, input.ip, false, 'sms_code');
  await insertAudit(deps.db, { ...auditActor(outcome.user), action: 'sign_in', target: null, ip: input.ip, at, details: { by: 'sms_code' } });
  return { ...session, user: outcome.user };
}

async function checkCode(deps: SignInDeps, trx: Knex.Transaction, input: CodeSignIn): Promise<{ user: User } | { error: AppError }> {
  const now = deps.clock.now();
  // the phone's wrong tries are counted across payments and sign-ins: serialized as confirm-payment does
  await codes.lockPhone(trx, input.phone, SIGN_IN_MODE);
  const code = await signInCodes.currentSignInCode(trx, input.phone);
  const usable = codeUsable(code, now);
  if (usable === 'expired') throw new AppError('code_expired', 'The code has expired: ask for a new one');
  if (usable !== 'ok' || !code) throw new AppError('code_invalid', 'This code can no longer be used: ask for a new one', { tries_left: 0 });
  const today = await codes.countWrongTriesSince(trx, code.phone, SIGN_IN_MODE, new Date(now.getTime() - DAY_MS), `ip:${input.client}`);
  if (today.ofClient >= deps.config.limits.wrongTriesPerPhonePerClientPerDay) {
    throw rateLimited(deps, 'phone_client_wrong_codes', 'Too many wrong codes from here for this phone today', Math.ceil(DAY_MS / 1000));
  }
  if (!(await codeMatches(deps.config, { paymentId: signInCodeSubject(code.phone), counter: code.counter, secretId: code.secretId }, input.code))) {
    const wrongTries = await signInCodes.recordSignInWrongTry(trx, code, now, `ip:${input.client}`);
    const verdict = afterWrongTry(deps.config.codes, wrongTries, today.all + 1);
    if (verdict.paymentFails) await signInCodes.setSignInCodeStatus(trx, code.id, 'dead');
    return { error: new AppError('code_invalid', `The code is not right: ${verdict.triesLeft} ${verdict.triesLeft === 1 ? 'try' : 'tries'} left`, { tries_left: verdict.paymentFails ? 0 : verdict.triesLeft }) };
  }
  await signInCodes.setSignInCodeStatus(trx, code.id, 'used');
  const user = (await users.findBuyerByPhone(trx, code.phone)) ?? (await users.insertBuyer(trx, { id: newId('usr'), phone: code.phone, createdAt: now }));
  await openFirstWallet(deps, trx, input.phone, now);
  return { user };
}

/** WALLET_SIGNUP=open: a phone that signs in without a live wallet gets one in WALLET_SIGNUP_CURRENCY; closed leaves wallets to the operator. */
async function openFirstWallet(deps: SignInDeps, trx: Knex.Transaction, phone: Phone, at: Date): Promise<void> {
  if (deps.config.walletSignup !== 'open') return;
  await lockPhoneWallets(trx, phone, SIGN_IN_MODE);
  if ((await listPhoneWallets(trx, phone, SIGN_IN_MODE)).length) return;
  await ensurePhoneWallet(trx, { phone, currency: deps.config.walletSignupCurrency, mode: SIGN_IN_MODE, at });
}
