import type { Eta } from 'eta';
import type { AppContext } from '../shared/context.js';
import { langOf, page, switcher } from '../pay/page-view.js';
import { direction, translator, type Lang } from '../../i18n/index.js';

/** The hosted pages' choice: the switcher (remembered), then Accept-Language. */
export function meLang(ctx: AppContext): Lang {
  return ctx.state.me?.lang ?? langOf(ctx);
}

/** A /me page in the hosted pages' layout and look; `home` is the page the language links reload (a POST's address is no page). */
export function meView(views: Eta) {
  return (ctx: AppContext, template: string, home: '/me' | '/me/login', data: Record<string, unknown>, status = 200) => {
    const lang = meLang(ctx);
    const t = translator(lang);
    page(views, ctx, template, { t, lang, dir: direction(lang), languages: switcher(lang, home), ...data }, status);
  };
}

export type MeView = ReturnType<typeof meView>;
