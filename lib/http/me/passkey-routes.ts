import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { signInWithPasskey, startPasskeySignIn } from '../../use-cases/users/sign-in-with-passkey.js';
import { finishPasskeyRegistration, startPasskeyRegistration } from '../../use-cases/users/register-passkey.js';
import { removePasskey } from '../../use-cases/users/remove-passkey.js';
import { listPasskeys, passkeysOffered } from '../../use-cases/users/list-passkeys.js';
import { unfreezeWallets } from '../../use-cases/buyers/freeze-wallet.js';
import { assertUnder, consume, giveBack } from '../../use-cases/limits/rate-limit.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { FRESH_SIGN_IN_MS } from '../../domain/passkey.js';
import { field, formOf } from '../shared/form.js';
import { formToken } from '../shared/action-tokens.js';
import { clientOf } from '../shared/client-address.js';
import { parseAnswer, PASSKEY_SCRIPTS } from '../shared/passkey-page.js';
import { meCookies } from './cookies.js';
import { freezeByOf, onceOf, signedIn } from './guard.js';

/** Removing the last passkey asks for an SMS-code sign-in of the last minutes (docs/buyer-guide.md#paying-with-a-passkey). */
const freshSmsSignIn = (ctx: AppContext, now: Date) => {
  const { session } = signedIn(ctx);
  return session.signedInWith === 'sms_code' && now.getTime() - session.createdAt.getTime() <= FRESH_SIGN_IN_MS;
};

/** What /me shows of passkeys: the list, the enrol form, and "unfreeze" when this session came from a passkey. */
export async function mePasskeys(deps: PayDeps, ctx: AppContext) {
  const me = signedIn(ctx);
  if (!passkeysOffered(deps)) return { passkey: false };
  const now = deps.clock.now();
  const secret = me.session.csrfToken;
  const passkeys = await listPasskeys(deps, me.session.user.id);
  return {
    passkey: true, passkeys, scripts: PASSKEY_SCRIPTS, signedInWithPasskey: me.signedInWith === 'passkey',
    lastNeedsCode: passkeys.length === 1 && !freshSmsSignIn(ctx, now),
    passkeyOnce: { add: formToken(secret, '/me/passkeys', now), remove: formToken(secret, '/me/passkeys/remove', now), unfreeze: formToken(secret, '/me/unfreeze', now) },
  };
}

/**
 * /me passkeys (docs/buyer-guide.md#paying-with-a-passkey): sign in with one (counted as a wrong code of the address until
 * it verifies), enrol and remove (one-time tokens), and unfreeze, which only a passkey sign-in may.
 */
export function mePasskeyRoutes(router: Router<AppState>, deps: PayDeps) {
  router.post('/login/passkey/options', async (ctx) => {
    ctx.state.errorFormat = 'json';
    meCookies.checkPreSessionToken(ctx, formOf(ctx).get('_csrf'));
    await assertUnder(deps, 'page_wrong_codes', clientOf(ctx));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await startPasskeySignIn(deps, 'me');
  });
  router.post('/login/passkey', async (ctx) => {
    const form = formOf(ctx);
    meCookies.checkPreSessionToken(ctx, form.get('_csrf'));
    const at = deps.clock.now();
    await consume(deps, 'page_wrong_codes', clientOf(ctx));
    try {
      const { session } = await signInWithPasskey(deps, 'me', parseAnswer(field(form, 'response', 16_384)), ctx.ip || null);
      await giveBack(deps, 'page_wrong_codes', clientOf(ctx), at);
      meCookies.set(ctx, session.token);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'passkey_invalid') await giveBack(deps, 'page_wrong_codes', clientOf(ctx), at);
      throw err;
    }
    ctx.status = 303;
    ctx.redirect('/me');
  });

  router.post('/passkeys/options', async (ctx) => {
    ctx.state.errorFormat = 'json';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await startPasskeyRegistration(deps, signedIn(ctx).session.user);
  });
  router.post('/passkeys', async (ctx) => {
    const me = signedIn(ctx);
    await finishPasskeyRegistration(deps, me.session.user, parseAnswer(field(formOf(ctx), 'response', 16_384)), ctx.ip || null, onceOf(ctx, '/me?passkey=added'));
    ctx.status = 303;
    ctx.redirect('/me?passkey=added');
  });
  router.post('/passkeys/remove', async (ctx) => {
    const me = signedIn(ctx);
    const mayRemoveLast = freshSmsSignIn(ctx, deps.clock.now());
    try {
      await removePasskey(deps, me.session.user, field(formOf(ctx), 'passkey', 20), { mayRemoveLast, ip: ctx.ip || null, once: onceOf(ctx, '/me?passkey=removed') });
    } catch (err) {
      if (isAppError(err) && err.code === 'forbidden') throw new AppError('forbidden', me.t('passkey.last_needs_code'));
      throw err;
    }
    ctx.status = 303;
    ctx.redirect('/me?passkey=removed');
  });
  router.post('/unfreeze', async (ctx) => {
    const me = signedIn(ctx);
    await unfreezeWallets(deps, { phone: me.phone, by: freezeByOf(ctx), once: onceOf(ctx, '/me') });
    ctx.status = 303;
    ctx.redirect('/me');
  });
}
