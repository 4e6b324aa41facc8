import type { Eta } from 'eta';
import type { HtmlErrorRenderer } from './problem.js';
import { LANG_COOKIE, direction, isLang, pickLang, translator } from '../../i18n/index.js';

/** The readable error page of the hosted pages and the form endpoint, in the buyer's language. */
export function htmlErrorPage(views: Eta): HtmlErrorRenderer {
  return (ctx, problem) => {
    const lang = pickLang([isLang(ctx.query.lang) ? ctx.query.lang : undefined, ctx.cookies.get(LANG_COOKIE)], ctx.get('Accept-Language'));
    const t = translator(lang);
    // a refusal of docs/merchant-guide.md#abuse-limits reads in the buyer's language, with the wait
    const { retry_after: retry, limit } = problem as { retry_after?: unknown; limit?: unknown };
    const perAddress = typeof limit === 'string' && ['form_payments', 'page_codes', 'page_wrong_codes'].includes(limit);
    const shown = problem.code === 'rate_limited' && typeof retry === 'number'
      ? { ...problem, detail: t(perAddress ? 'error.rate_limited_address' : limit === 'phone_exports' ? 'error.rate_limited_exports' : 'error.rate_limited', { minutes: Math.max(1, Math.ceil(retry / 60)) }) } : problem;
    return views.render('./error', { problem: shown, lang, dir: direction(lang), heading: t('error.title'), requestIdLabel: t('error.request_id') });
  };
}
