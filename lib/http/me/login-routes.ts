import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { sendSignInCode } from '../../use-cases/buyers/send-sign-in-code.js';
import { signInByCode } from '../../use-cases/buyers/sign-in-by-code.js';
import { readSignInCode } from '../../use-cases/buyers/read-sign-in-code.js';
import { signOut } from '../../use-cases/users/session.js';
import { isAppError, type AppError } from '../../domain/errors.js';
import { resendCooldownLeft } from '../../domain/code-policy.js';
import { e164, maskPhone, parsePhone, type Phone } from '../../domain/phone.js';
import { translator } from '../../i18n/index.js';
import { plural } from '../../i18n/plurals.js';
import { field, formOf } from '../shared/form.js';
import { clientOf } from '../shared/client-address.js';
import { localError } from '../pay/page-view.js';
import { meCookies } from './cookies.js';
import { meLang, type MeView } from './view.js';
import { passkeyLogin } from '../shared/passkey-page.js';

const passkeyLoginFields = (deps: PayDeps) => {
  const offered = passkeyLogin(deps);
  return { passkey: offered.passkey, scripts: ['/assets/libphonenumber-min.js', '/assets/pay.js', ...(offered.scripts ?? [])] };
};

type Step = { step: 'phone' | 'code'; phone?: Phone; phoneValue?: string; error?: string; triesLeft?: string; flash?: string };

/** A refusal the buyer can act on is shown beside the form; our own failures get the error page. */
const shownBesideForm = (err: unknown): err is AppError => isAppError(err) && (err.status < 500 || err.code === 'sms_send_failed');

/** /me/login: the phone (as on the hosted page), then the SMS code; /me/logout (docs/buyer-guide.md#me--the-buyers-wallet-page). */
export function loginRoutes(router: Router<AppState>, deps: PayDeps, view: MeView) {
  const render = loginPage(deps, view);

  router.get('/login', (ctx) => render(ctx, { step: 'phone', flash: ctx.query.signed_out === '1' ? translator(meLang(ctx))('me.login.signed_out') : undefined }));

  // the phone step, and "send a new code" from the code step (the same phone, posted again)
  router.post('/login', async (ctx) => {
    const form = formOf(ctx);
    meCookies.checkPreSessionToken(ctx, form.get('_csrf'));
    const typed = field(form, 'phone', 40);
    const parsed = parsePhone(typed);
    const t = translator(meLang(ctx));
    if (!parsed.ok) return render(ctx, { step: 'phone', phoneValue: typed, error: t('error.phone_invalid') }, 400);
    try {
      await sendSignInCode(deps, { phone: parsed.phone, client: clientOf(ctx), lang: meLang(ctx) });
    } catch (err) {
      if (!shownBesideForm(err)) throw err;
      for (const [name, value] of Object.entries(err.headers)) ctx.set(name, value);
      const resend = form.get('resend') === '1';
      return render(ctx, { step: resend ? 'code' : 'phone', phone: parsed.phone, phoneValue: typed, error: localError(t, err) }, err.status);
    }
    await render(ctx, { step: 'code', phone: parsed.phone });
  });

  router.post('/login/code', async (ctx) => {
    const form = formOf(ctx);
    meCookies.checkPreSessionToken(ctx, form.get('_csrf'));
    const parsed = parsePhone(field(form, 'phone', 40));
    if (!parsed.ok) return ctx.redirect('/me/login');
    const lang = meLang(ctx);
    try {
      const signed = await signInByCode(deps, { phone: parsed.phone, code: field(form, 'code', 20).replace(/\s/g, ''), client: clientOf(ctx), ip: ctx.ip || null });
      meCookies.set(ctx, signed.token);
    } catch (err) {
      if (!shownBesideForm(err)) throw err;
      for (const [name, value] of Object.entries(err.headers)) ctx.set(name, value);
      const left = typeof err.extra.tries_left === 'number' ? plural(lang, 'code.tries_left', err.extra.tries_left) : undefined;
      const error = err.code === 'invalid_request' ? translator(lang)('error.code_invalid') : localError(translator(lang), err);
      return render(ctx, { step: 'code', phone: parsed.phone, error, triesLeft: left }, err.status);
    }
    ctx.status = 303;
    ctx.redirect('/me');
  });

  router.post('/logout', async (ctx) => {
    if (ctx.state.me) await signOut(deps, ctx.state.me.session, ctx.ip || null);
    meCookies.clear(ctx);
    ctx.status = 303;
    ctx.redirect('/me/login?signed_out=1');
  });
}

/** The sign-in page at its step; the code step shows where the code went, until when it works, and when a new one may be asked. */
function loginPage(deps: PayDeps, view: MeView) {
  return async (ctx: AppContext, s: Step, status = 200) => {
    const code = s.step === 'code' && s.phone ? await readSignInCode(deps, s.phone) : undefined;
    const now = deps.clock.now();
    const t = translator(meLang(ctx));
    view(ctx, './me-login', '/me/login', {
      title: t('me.login.title'), formToken: meCookies.preSessionToken(ctx), step: s.step, error: s.error, triesLeft: s.triesLeft, flash: s.flash,
      phoneValue: s.phoneValue ?? (s.phone ? e164(s.phone) : ''), phoneMasked: s.phone ? maskPhone(s.phone) : '',
      codeLength: deps.config.codes.length,
      codeExpiresAt: code?.expiresAt.toISOString().slice(11, 16),
      codeExpiresIn: code ? Math.max(0, Math.round((code.expiresAt.getTime() - now.getTime()) / 1000)) : 0,
      resendCooldown: code ? resendCooldownLeft(code.sentAt, now) : 0,
      // docs/buyer-guide.md#paying-with-a-passkey: "Sign in with a passkey" where passkeys work
      ...passkeyLoginFields(deps),
    }, status);
  };
}
