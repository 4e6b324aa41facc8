import type Router from '@koa/router';
import QRCode from 'qrcode';
import type { AppContext, AppState } from '../shared/context.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { signIn, passSecondFactor, signOut } from '../../use-cases/office/session.js';
import { consume, giveBack } from '../../use-cases/limits/rate-limit.js';
import { completeSetup, enrolTotp, readSetup } from '../../use-cases/office/setup.js';
import { newTotpSecret, totpUri } from '../../domain/totp.js';
import { PASSWORD_MIN_LENGTH } from '../../domain/office.js';
import { checkPreSessionToken, clearSessionCookie, preSessionToken, setSessionCookie } from './cookies.js';
import { field, formOf } from './form.js';
import { officeLang, type OfficeView } from './view.js';
import { translator } from '../../i18n/index.js';
import { clientOf } from '../shared/client-address.js';
import { LOGIN_WINDOW_MS } from '../../domain/limits.js';
import { SECOND_MS } from '../../domain/time.js';

async function qrOf(secret: string, email: string) {
  const svg = await QRCode.toString(totpUri(secret, email), { type: 'svg', margin: 1 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** Sign-in, the second factor, sign-out, the one-time set-up link and authenticator enrolment (docs/merchant-guide.md#back-office). */
export function authRoutes(router: Router<AppState>, deps: Pick<Deps, 'db' | 'clock' | 'config'>, view: OfficeView) {
  loginRoutes(router, deps, view);

  router.get('/totp', (ctx) => view(ctx, './office-totp', {}));
  router.post('/totp', async (ctx) => {
    const office = ctx.state.office!;
    const outcome = await passSecondFactor(deps, office.session, field(formOf(ctx), 'totp', 20), ctx.ip || null);
    if (!outcome.ok) {
      const problem = outcome.reason === 'locked' ? office.t('office.login.locked', { time: outcome.lockedUntil!.toISOString().slice(11, 16) }) : office.t('office.problem.totp_wrong');
      return view(ctx, './office-totp', { problem }, outcome.reason === 'locked' ? 429 : 401);
    }
    ctx.status = 303;
    ctx.redirect('/office');
  });

  router.post('/logout', async (ctx) => {
    if (ctx.state.office) await signOut(deps, ctx.state.office.session, ctx.ip || null);
    clearSessionCookie(ctx);
    ctx.status = 303;
    ctx.redirect('/office/login?signed_out=1');
  });

  router.get('/totp/enrol', async (ctx) => {
    const secret = newTotpSecret();
    view(ctx, './office-enrol', { secret, qr: await qrOf(secret, ctx.state.office!.session.user.email) });
  });
  router.post('/totp/enrol', async (ctx) => {
    const form = formOf(ctx);
    const secret = field(form, 'totp_secret', 64);
    const office = ctx.state.office!;
    if (!/^[A-Z2-7]{16,64}$/.test(secret) || !(await enrolTotp(deps, office.session, secret, field(form, 'totp', 20), ctx.ip || null))) {
      return view(ctx, './office-enrol', { secret, qr: await qrOf(secret, office.session.user.email), problem: office.t('office.problem.totp_wrong') }, 422);
    }
    ctx.status = 303;
    ctx.redirect('/office?enrolled=1');
  });

  setupRoutes(router, deps, view);
}

/** The sign-in form: the lock per e-mail (in the use-case) and the hold per client address (here). */
function loginRoutes(router: Router<AppState>, deps: Pick<Deps, 'db' | 'clock' | 'config'>, view: OfficeView) {
  const loginPage = (ctx: AppContext, data: { email?: string; problem?: string; flash?: string }, status = 200) =>
    view(ctx, './office-login', { formToken: preSessionToken(ctx), ...data }, status);

  router.get('/login', (ctx) => loginPage(ctx, { flash: ctx.query.signed_out === '1' ? translator(officeLang(ctx))('office.login.signed_out') : undefined }));
  router.post('/login', async (ctx) => {
    const form = formOf(ctx);
    checkPreSessionToken(ctx, form.get('_csrf'));
    const email = field(form, 'email', 254).trim().toLowerCase();
    const t = translator(officeLang(ctx));
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
    const outcome = await signIn(deps, { email, password: field(form, 'password', 1000), ip: ctx.ip || null });
    if (!outcome.ok) {
      const problem = outcome.reason === 'locked' ? t('office.login.locked', { time: outcome.lockedUntil!.toISOString().slice(11, 16) }) : t('office.login.wrong');
      return loginPage(ctx, { email, problem }, outcome.reason === 'locked' ? 429 : 401);
    }
    await giveBack(deps, 'office_sign_in', clientOf(ctx), at);
    setSessionCookie(ctx, outcome.session.token);
    ctx.status = 303;
    ctx.redirect(outcome.session.secondFactorDue ? '/office/totp' : '/office');
  });

}

function setupRoutes(router: Router<AppState>, deps: Pick<Deps, 'db' | 'clock' | 'config'>, view: OfficeView) {
  router.get('/setup/:token', async (ctx) => {
    const user = await readSetup(deps, ctx.params.token!);
    if (!user) return view(ctx, './office-setup-expired', {}, 410);
    const secret = newTotpSecret();
    view(ctx, './office-setup', { email: user.email, required: user.requireTotp, secret, qr: await qrOf(secret, user.email), formToken: preSessionToken(ctx), min: PASSWORD_MIN_LENGTH, problems: {} });
  });
  router.post('/setup/:token', async (ctx) => {
    const form = formOf(ctx);
    checkPreSessionToken(ctx, form.get('_csrf'));
    const secret = field(form, 'totp_secret', 64);
    const outcome = await completeSetup(deps, ctx.params.token!, {
      password: field(form, 'password', 1000), passwordAgain: field(form, 'password_again', 1000),
      totpSecret: /^[A-Z2-7]{16,64}$/.test(secret) ? secret : undefined, totpCode: field(form, 'totp', 20), ip: ctx.ip || null,
    });
    if (outcome.ok) {
      setSessionCookie(ctx, outcome.session.token);
      ctx.status = 303;
      return ctx.redirect('/office');
    }
    if (outcome.problems.link) return view(ctx, './office-setup-expired', {}, 410);
    const user = await readSetup(deps, ctx.params.token!);
    view(ctx, './office-setup', {
      email: user?.email, required: user?.requireTotp, secret, qr: await qrOf(secret, user?.email ?? ''), formToken: preSessionToken(ctx), min: PASSWORD_MIN_LENGTH, problems: outcome.problems,
    }, 422);
  });
}
