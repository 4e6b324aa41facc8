import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { readBuyerPage } from '../../use-cases/buyers/read-buyer-page.js';
import { redeemFromForm } from '../../use-cases/buyers/redeem-once.js';
import { freezeWallets } from '../../use-cases/buyers/freeze-wallet.js';
import { exportPhone } from '../../use-cases/buyers/export-phone.js';
import { consume } from '../../use-cases/limits/rate-limit.js';
import { isAppError } from '../../domain/errors.js';
import { formatAmount } from '../../domain/money.js';
import { maskPhone } from '../../domain/phone.js';
import { isMessageKey, type MessageKey, type Translate } from '../../i18n/index.js';
import { field, formOf } from '../shared/form.js';
import { formToken } from '../shared/action-tokens.js';
import { clientOf } from '../shared/client-address.js';
import { freezeByOf, onceOf, signedIn } from './guard.js';
import type { MeView } from './view.js';
import { mePasskeys } from './passkey-routes.js';

type Shown = { flash?: string; redeemError?: string; voucherValue?: string };

/** /me: the wallets and their history, redeem a voucher, freeze, export (docs/buyer-guide.md#me--the-buyers-wallet-page). */
export function walletRoutes(router: Router<AppState>, deps: PayDeps, view: MeView) {
  const render = walletPage(deps, view);

  router.get('/', async (ctx) => {
    const { t } = signedIn(ctx);
    const flash = ctx.query.redeemed === '1' ? t('me.redeem.done') : undefined;
    await render(ctx, { flash });
  });

  router.post('/redeem', async (ctx) => {
    const me = signedIn(ctx);
    const code = field(formOf(ctx), 'voucher', 40);
    try {
      await redeemFromForm(deps, { phone: me.phone, code, clientAddress: clientOf(ctx) }, onceOf(ctx, '/me?redeemed=1'));
    } catch (err) {
      if (!isAppError(err) || err.status >= 500) throw err;
      for (const [name, value] of Object.entries(err.headers)) ctx.set(name, value);
      return render(ctx, { redeemError: redeemRefusal(me.t, err.code, err.extra.retry_after), voucherValue: code }, err.status);
    }
    ctx.status = 303;
    ctx.redirect('/me?redeemed=1');
  });

  router.post('/freeze', async (ctx) => {
    const me = signedIn(ctx);
    await freezeWallets(deps, { phone: me.phone, by: freezeByOf(ctx), once: onceOf(ctx, '/me') });
    ctx.status = 303;
    ctx.redirect('/me');
  });

  router.get('/export.json', async (ctx) => {
    const me = signedIn(ctx);
    await consume(deps, 'phone_exports', me.phone);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', 'attachment; filename="telepurse-export.json"');
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = JSON.stringify(await exportPhone(deps, me.phone), null, 2);
  });
}

/** A refused voucher in the buyer's words; the wait of a limit in minutes. */
function redeemRefusal(t: Translate, code: string, retryAfter: unknown): string {
  const key = `me.redeem.error.${code}`;
  if (code === 'rate_limited') return t('me.redeem.error.rate_limited', { minutes: Math.max(1, Math.ceil(Number(retryAfter ?? 60) / 60)) });
  return isMessageKey(key) ? t(key as MessageKey) : t('me.redeem.error.voucher_invalid');
}

function walletPage(deps: PayDeps, view: MeView) {
  return async (ctx: AppContext, shown: Shown, status = 200) => {
    const me = signedIn(ctx);
    const page = Math.max(0, Math.min(10_000, Number.parseInt(String(ctx.query.page ?? '0'), 10) || 0));
    const read = await readBuyerPage(deps, me.phone, page);
    const now = deps.clock.now();
    const secret = me.session.csrfToken;
    view(ctx, './me', '/me', {
      ...shown, csrf: secret, phoneMasked: maskPhone(me.phone),
      once: { redeem: formToken(secret, '/me/redeem', now), freeze: formToken(secret, '/me/freeze', now) },
      wallets: read.wallets.map((w) => ({ purse: w.purse, currency: w.currency, status: w.status, balance: formatAmount(w.balance), available: formatAmount(w.balance - w.held), held: formatAmount(w.held) })),
      entries: read.entries.map((e) => ({
        id: e.id, type: e.type, amount: formatAmount(e.amount), incoming: e.amount > 0n, currency: e.currency, receiptPath: e.receiptPath,
        at: e.at.toISOString(), when: e.at.toISOString().slice(0, 16).replace('T', ' '), label: isMessageKey(`me.type.${e.type}`) ? me.t(`me.type.${e.type}` as MessageKey) : e.type,
      })),
      newer: page > 0 ? page - 1 : undefined, older: read.more ? page + 1 : undefined,
      // docs/buyer-guide.md#paying-with-a-passkey
      ...(await mePasskeys(deps, ctx)),
    }, status);
  };
}
