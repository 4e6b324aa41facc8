import type Router from '@koa/router';
import type { Eta } from 'eta';
import type { AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { readReceipt } from '../../use-cases/payments/read-receipt.js';
import { direction, translator } from '../../i18n/index.js';
import { langOf, page, switcher } from './page-view.js';
import { receiptCard } from './receipt-view.js';
import { brandView } from './brand-view.js';

/**
 * docs/buyer-guide.md#receipts: `/r/{token}`, the buyer's receipt: no sign-in, no JavaScript needed, never cached and never
 * sent on as a Referer (the token is its only key); an unknown token is a readable 404 in the buyer's language.
 */
export function receiptRoutes(router: Router<AppState>, deps: PayDeps, views: Eta) {
  router.get('/r/:token', async (ctx) => {
    const token = ctx.params.token ?? '';
    const receipt = await readReceipt(deps, token);
    ctx.set('Referrer-Policy', 'no-referrer');
    const lang = langOf(ctx, receipt?.payment.lang, receipt?.shop.lang);
    const t = translator(lang);
    if (!receipt) return page(views, ctx, './result', { lang, dir: direction(lang), heading: t('receipt.not_found.title'), text: t('receipt.not_found.text') }, 404);
    ctx.state.paymentId = receipt.payment.id;
    const brand = brandView(deps.config, t, receipt.shop);
    page(views, ctx, './receipt', { t, lang, dir: direction(lang), title: t('receipt.title'), languages: switcher(lang, `/r/${token}`), card: receiptCard(t, receipt, { linkToPage: false }), brand });
  });
}
