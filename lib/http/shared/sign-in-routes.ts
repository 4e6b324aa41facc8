import type Router from '@koa/router';
import QRCode from 'qrcode';
import type { AppContext, AppState } from './context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { signIn, passSecondFactor, signOut, type Session } from '../../use-cases/users/session.js';
import { consume, giveBack } from '../../use-cases/limits/rate-limit.js';
import { completeSetup, enrolTotp, readSetup } from '../../use-cases/users/setup.js';
import { newTotpSecret, totpUri } from '../../domain/totp.js';
import { PASSWORD_MIN_LENGTH, type Audience } from '../../domain/user.js';
import { LOGIN_WINDOW_MS } from '../../domain/limits.js';
import { SECOND_MS } from '../../domain/time.js';
import { translator, type Lang, type Translate } from '../../i18n/index.js';
import type { SessionCookies } from './session-cookies.js';
import { clientOf } from './client-address.js';
import { field, formOf } from './form.js';
import { passkeyLogin } from './passkey-page.js';

export type AreaView = (ctx: AppContext, template: string, data: Record<string, unknown>, status?: number) => void;

/** What differs between the office and the console at sign-in: the audience, its cookies, its pages and its signed-in state. */
export type SignInArea = {
  audience: Audience;
  /** '/office' or '/console': the router's prefix and where a signed-in user lands. */
  base: string;
  cookies: SessionCookies;
  view: AreaView;
  langOf: (ctx: AppContext) => Lang;
  /** The signed-in session the area's guard read (undefined before sign-in). */
  signedIn: (ctx: AppContext) => { session: Session; t: Translate } | undefined;
};

async function qrOf(secret: string, email: string) {
  const svg = await QRCode.toString(totpUri(secret, email), { type: 'svg', margin: 1 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

const lockedText = (t: Translate, until: Date) => t('office.login.locked', { time: until.toISOString().slice(11, 16) });

/**
 * Sign-in, the second factor, sign-out, the one-time set-up link and authenticator enrolment, the same for
 * every audience with a password (docs/merchant-guide.md#back-office; docs/operator-guide.md#operator-console).
 */
export function signInRoutes(router: Router<AppState>, deps: Pick<Deps, 'db' | 'clock' | 'config'>, area: SignInArea) {
  loginRoutes(router, deps, area);
  const { view, base } = area;
  const me = (ctx: AppContext) => area.signedIn(ctx)!;

  router.get('/totp', (ctx) => view(ctx, './office-totp', {}));
  router.post('/totp', async (ctx) => {
    const { session, t } = me(ctx);
    const outcome = await passSecondFactor(deps, session, field(formOf(ctx), 'totp', 20), ctx.ip || null);
    if (!outcome.ok) {
      const problem = outcome.reason === 'locked' ? lockedText(t, outcome.lockedUntil!) : t('office.problem.totp_wrong');
      return view(ctx, './office-totp', { problem }, outcome.reason === 'locked' ? 429 : 401);
    }
    ctx.status = 303;
    ctx.redirect(base);
  });

  router.post('/logout', async (ctx) => {
    const signed = area.signedIn(ctx);
    if (signed) await signOut(deps, signed.session, ctx.ip || null);
    area.cookies.clear(ctx);
    ctx.status = 303;
    ctx.redirect(`${base}/login?signed_out=1`);
  });

  router.get('/totp/enrol', async (ctx) => {
    const secret = newTotpSecret();
    view(ctx, './office-enrol', { secret, qr: await qrOf(secret, me(ctx).session.user.email ?? '') });
  });
  router.post('/totp/enrol', async (ctx) => {
    const form = formOf(ctx);
    const secret = field(form, 'totp_secret', 64);
    const { session, t } = me(ctx);
    if (!/^[A-Z2-7]{16,64}$/.test(secret) || !(await enrolTotp(deps, session, secret, field(form, 'totp', 20), ctx.ip || null))) {
      return view(ctx, './office-enrol', { secret, qr: await qrOf(secret, session.user.email ?? ''), problem: t('office.problem.totp_wrong') }, 422);
    }
    ctx.status = 303;
    ctx.redirect(`${base}?enrolled=1`);
  });

  setupRoutes(router, deps, area);
}

/** The sign-in form: the lock per e-mail (in the use-case) and the hold per client address (here, shared by every audience). */
function loginRoutes(router: Router<AppState>, deps: Pick<Deps, 'db' | 'clock' | 'config'>, area: SignInArea) {
  const { view, cookies, base } = area;
  const loginPage = (ctx: AppContext, data: { email?: string; problem?: string; flash?: string }, status = 200) =>
    view(ctx, './office-login', { formToken: cookies.preSessionToken(ctx), ...passkeyLogin(deps), ...data }, status);

  router.get('/login', (ctx) => loginPage(ctx, { flash: ctx.query.signed_out === '1' ? translator(area.langOf(ctx))('office.login.signed_out') : undefined }));
  router.post('/login', async (ctx) => {
    const form = formOf(ctx);
    cookies.checkPreSessionToken(ctx, form.get('_csrf'));
    const email = field(form, 'email', 254).trim().toLowerCase();
    const t = translator(area.langOf(ctx));
    // one address trying many e-mails is held back too (the machinery of docs/merchant-guide.md#abuse-limits), besides the lock per
    // e-mail; counted before the check, as the e-mail's tries are, and given back when right
    const at = deps.clock.now();
    try {
      await consume(deps, 'office_sign_in', clientOf(ctx));
    } catch (err) {
      const minutes = Math.ceil(Number((err as { extra?: { retry_after?: number } }).extra?.retry_after ?? LOGIN_WINDOW_MS / SECOND_MS) / 60);
      ctx.set('Retry-After', String(minutes * 60));
      return loginPage(ctx, { email, problem: t('office.login.address_locked', { minutes }) }, 429);
    }
    const outcome = await signIn(deps, area.audience, { email, password: field(form, 'password', 1000), ip: ctx.ip || null });
    if (!outcome.ok) {
      const problem = outcome.reason === 'locked' ? lockedText(t, outcome.lockedUntil!) : t('office.login.wrong');
      return loginPage(ctx, { email, problem }, outcome.reason === 'locked' ? 429 : 401);
    }
    await giveBack(deps, 'office_sign_in', clientOf(ctx), at);
    cookies.set(ctx, outcome.session.token);
    ctx.status = 303;
    ctx.redirect(outcome.session.secondFactorDue ? `${base}/totp` : base);
  });
}

function setupRoutes(router: Router<AppState>, deps: Pick<Deps, 'db' | 'clock' | 'config'>, area: SignInArea) {
  const { view, cookies, base, audience } = area;
  router.get('/setup/:token', async (ctx) => {
    const user = await readSetup(deps, audience, ctx.params.token!);
    if (!user) return view(ctx, './office-setup-expired', {}, 410);
    const secret = newTotpSecret();
    view(ctx, './office-setup', { email: user.email, required: user.requireTotp, secret, qr: await qrOf(secret, user.email ?? ''), formToken: cookies.preSessionToken(ctx), min: PASSWORD_MIN_LENGTH, problems: {} });
  });
  router.post('/setup/:token', async (ctx) => {
    const form = formOf(ctx);
    cookies.checkPreSessionToken(ctx, form.get('_csrf'));
    const secret = field(form, 'totp_secret', 64);
    const outcome = await completeSetup(deps, audience, ctx.params.token!, {
      password: field(form, 'password', 1000), passwordAgain: field(form, 'password_again', 1000),
      totpSecret: /^[A-Z2-7]{16,64}$/.test(secret) ? secret : undefined, totpCode: field(form, 'totp', 20), ip: ctx.ip || null,
    });
    if (outcome.ok) {
      cookies.set(ctx, outcome.session.token);
      ctx.status = 303;
      return ctx.redirect(base);
    }
    if (outcome.problems.link) return view(ctx, './office-setup-expired', {}, 410);
    const user = await readSetup(deps, audience, ctx.params.token!);
    view(ctx, './office-setup', {
      email: user?.email, required: user?.requireTotp, secret, qr: await qrOf(secret, user?.email ?? ''), formToken: cookies.preSessionToken(ctx), min: PASSWORD_MIN_LENGTH, problems: outcome.problems,
    }, 422);
  });
}
