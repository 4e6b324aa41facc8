import { en, type MessageKey as CoreKey, type Messages } from './en.js';
import { AREAS } from './areas/index.js';
import { ru } from './ru.js';
import { de } from './de.js';
import { vi } from './vi.js';
import { ar } from './ar.js';

export const LANGS = ['en', 'ru', 'de', 'vi', 'ar'] as const;
/** The language the buyer chose with the switcher, remembered by the hosted pages and their error page. */
export const LANG_COOKIE = 'tp_lang';
export type Lang = (typeof LANGS)[number];

// distributive over the areas (a naked type parameter): every area's keys, not only those they share
type KeysOf<A> = A extends { en: infer E } ? keyof E & string : never;
type AreaKey = KeysOf<(typeof AREAS)[number]>;
export type MessageKey = CoreKey | AreaKey;
const withAreas = (lang: Lang, core: Messages): Record<MessageKey, string> =>
  Object.assign({}, core, ...AREAS.map((area: Record<Lang, Record<string, string>>) => area[lang])) as Record<MessageKey, string>;
const CATALOGUES: Record<Lang, Record<MessageKey, string>> = {
  en: withAreas('en', en), ru: withAreas('ru', ru), de: withAreas('de', de), vi: withAreas('vi', vi), ar: withAreas('ar', ar),
};
const RTL = new Set<string>(['ar']);
export const LANG_NAMES: Record<Lang, string> = { en: 'English', ru: 'Русский', de: 'Deutsch', vi: 'Tiếng Việt', ar: 'العربية' };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}


export function isMessageKey(key: string): key is MessageKey {
  return key in CATALOGUES.en;
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

function supported(tag: string | null | undefined): Lang | undefined {
  const base = tag?.trim().slice(0, 2).toLowerCase();
  return (LANGS as readonly string[]).includes(base ?? '') ? (base as Lang) : undefined;
}

/** An explicit choice (switcher, LMI_LANG) wins, then the browser's Accept-Language in its order of preference, then the shop's language. */
export function pickLang(explicit: (string | null | undefined)[], acceptLanguage: string | undefined, fallback?: string | null): Lang {
  for (const tag of explicit) {
    const lang = supported(tag);
    if (lang) return lang;
  }
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q) };
    })
    .filter((e) => e.tag && e.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const lang = supported(tag);
    if (lang) return lang;
  }
  return supported(fallback) ?? 'en';
}

export function translator(lang: Lang): Translate {
  const messages = CATALOGUES[lang];
  return (key, params = {}) => messages[key].replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? `{${name}}`));
}

export function direction(lang: Lang): 'rtl' | 'ltr' {
  return RTL.has(lang) ? 'rtl' : 'ltr';
}
