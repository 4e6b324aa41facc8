import type Router from '@koa/router';
import type { AppContext, AppState } from './context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { signInWithPasskey, startPasskeySignIn } from '../../use-cases/users/sign-in-with-passkey.js';
import { finishPasskeyRegistration, startPasskeyRegistration } from '../../use-cases/users/register-passkey.js';
import { removePasskey } from '../../use-cases/users/remove-passkey.js';
import { assertUnder, consume, giveBack } from '../../use-cases/limits/rate-limit.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { translator } from '../../i18n/index.js';
import { clientOf } from './client-address.js';
import { field, formOf } from './form.js';
import type { SessionCookies } from './session-cookies.js';
import { parseAnswer, passkeyAccount, passkeyLogin } from './passkey-page.js';
import type { Session } from '../../use-cases/users/session.js';
import type { Audience } from '../../domain/user.js';
import type { Lang } from '../../i18n/index.js';

/** What differs between the office and the console here (lib/http/shared/sign-in-routes.ts SignInArea fits it). */
export type PasskeyArea = {
  audience: Audience;
  base: string;
  cookies: SessionCookies;
  view: (ctx: AppContext, template: string, data: Record<string, unknown>, status?: number) => void;
  langOf: (ctx: AppContext) => Lang;
  signedIn: (ctx: AppContext) => { session: Session } | undefined;
};

/**
 * Passkeys of the office and the console: sign in with one instead of password and authenticator (it is both
 * factors), and enrol or remove one from the account page. Sign-in tries are held per address like passwords.
 */
export function passkeyRoutes(router: Router<AppState>, deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>, area: PasskeyArea) {
  const { cookies, base } = area;
  const loginPage = (ctx: AppContext, data: { problem?: string }, status: number) =>
    area.view(ctx, './office-login', { formToken: cookies.preSessionToken(ctx), ...passkeyLogin(deps), ...data }, status);
  router.post('/login/passkey/options', async (ctx) => {
    ctx.state.errorFormat = 'json';
    cookies.checkPreSessionToken(ctx, formOf(ctx).get('_csrf'));
    await assertUnder(deps, 'office_sign_in', clientOf(ctx));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await startPasskeySignIn(deps, area.audience);
  });
  router.post('/login/passkey', async (ctx) => {
    const form = formOf(ctx);
    cookies.checkPreSessionToken(ctx, form.get('_csrf'));
    const t = translator(area.langOf(ctx));
    const at = deps.clock.now();
    // counted before the check, given back when right: as a password (docs/merchant-guide.md#abuse-limits)
    await consume(deps, 'office_sign_in', clientOf(ctx));
    try {
      const { session } = await signInWithPasskey(deps, area.audience, parseAnswer(field(form, 'response', 16_384)), ctx.ip || null);
      await giveBack(deps, 'office_sign_in', clientOf(ctx), at);
      cookies.set(ctx, session.token);
      ctx.status = 303;
      ctx.redirect(base);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'passkey_invalid') throw err;
      loginPage(ctx, { problem: t('passkey.failed') }, 401);
    }
  });

  // the account's passkeys on a page of their own (the office's account page shows them too)
  router.get('/account/passkeys', async (ctx) => {
    area.view(ctx, './office-passkeys', await passkeyAccount(deps, signedIn(area, ctx).session.user.id));
  });
  router.post('/account/passkeys/options', async (ctx) => {
    ctx.state.errorFormat = 'json';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await startPasskeyRegistration(deps, signedIn(area, ctx).session.user);
  });
  router.post('/account/passkeys', async (ctx) => {
    const { session } = signedIn(area, ctx);
    await finishPasskeyRegistration(deps, session.user, parseAnswer(field(formOf(ctx), 'response', 16_384)), ctx.ip || null);
    ctx.status = 303;
    ctx.redirect(`${base}/account/passkeys?passkey=added`);
  });
  router.post('/account/passkeys/remove', async (ctx) => {
    const { session } = signedIn(area, ctx);
    await removePasskey(deps, session.user, field(formOf(ctx), 'passkey', 20), { mayRemoveLast: true, ip: ctx.ip || null });
    ctx.status = 303;
    ctx.redirect(`${base}/account/passkeys?passkey=removed`);
  });
}

function signedIn(area: PasskeyArea, ctx: AppContext) {
  const signed = area.signedIn(ctx);
  if (!signed) throw new AppError('unauthorized', 'Sign in first');
  return signed;
}
