import type { Eta } from 'eta';
import type { HtmlErrorRenderer } from './problem.js';
import { LANG_COOKIE, direction, isLang, pickLang, translator } from '../../i18n/index.js';

/** The readable error page of the hosted pages and the form endpoint, in the buyer's language. */
export function htmlErrorPage(views: Eta): HtmlErrorRenderer {
  return (ctx, problem) => {
    const lang = pickLang([isLang(ctx.query.lang) ? ctx.query.lang : undefined, ctx.cookies.get(LANG_COOKIE)], ctx.get('Accept-Language'));
    const t = translator(lang);
    return views.render('./error', { problem, lang, dir: direction(lang), heading: t('error.title'), requestIdLabel: t('error.request_id') });
  };
}
