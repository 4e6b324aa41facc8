import type { Deps } from '../shared/deps.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import { callCheckSignInCode } from '../../store/money-statements.js';
import * as users from '../../store/users.js';
import { listPhoneWallets } from '../../store/buyer-wallets.js';
import { lockPhoneWallets } from '../../store/wallets.js';
import { insertAudit } from '../../store/audit-log.js';
import { consume, giveBack, rateLimited } from '../limits/rate-limit.js';
import { typedCodeHashes } from '../payments/code-secrets.js';
import { startSession, auditActor, type SignedIn } from '../users/session.js';
import { ensurePhoneWallet } from './create-wallet.js';
import { AppError, ServerKeyError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { looksLikeCode } from '../../domain/code.js';
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
  // the rules of a payment code, in tp_check_sign_in_code (migrations/20261208100100_confirm_statement.ts), under the phone's lock
  const limits = { per_code: deps.config.codes.maxWrongTriesPerCode, per_phone_day: deps.config.codes.maxWrongTriesPerPhonePerDay, per_client_day: deps.config.limits.wrongTriesPerPhonePerClientPerDay };
  const hashes = typedCodeHashes(deps.config, signInCodeSubject(input.phone), input.code);
  const v = await callCheckSignInCode(trx, { phone: input.phone, now: now.toISOString(), client: `ip:${input.client}`, hashes, limits });
  switch (v.verdict) {
    case 'right': break;
    case 'code_expired': throw new AppError('code_expired', 'The code has expired: ask for a new one');
    case 'code_dead': throw new AppError('code_invalid', 'This code can no longer be used: ask for a new one', { tries_left: 0 });
    // the last wrong try is answered as a wrong try, with no tries left
    case 'too_many': case 'wrong': {
      const left = v.triesLeft ?? 0;
      return { error: new AppError('code_invalid', `The code is not right: ${left} ${left === 1 ? 'try' : 'tries'} left`, { tries_left: v.verdict === 'wrong' ? left : 0 }) };
    }
    case 'client_limited': throw rateLimited(deps, 'phone_client_wrong_codes', 'Too many wrong codes from here for this phone today', Math.ceil(DAY_MS / 1000));
    case 'secret_unknown': throw new ServerKeyError('a sign-in code made with a CODE_SECRET this instance lacks: check CODE_SECRET, CODE_SECRET_PREVIOUS and CODE_SECRET_NEXT');
    default: throw new Error(`tp_check_sign_in_code answered ${v.verdict}`);
  }
  const user = (await users.findBuyerByPhone(trx, input.phone)) ?? (await users.insertBuyer(trx, { id: newId('usr'), phone: input.phone, createdAt: now }));
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
