import type { Lang } from './index.js';

type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** Texts that depend on a count, with each language's own plural categories (CLDR, via Intl.PluralRules). */
const PLURALS: Record<'code.tries_left', Record<Lang, Forms>> = {
  'code.tries_left': {
    en: { one: '{count} try left.', other: '{count} tries left.' },
    ru: { one: 'Осталась {count} попытка.', few: 'Осталось {count} попытки.', many: 'Осталось {count} попыток.', other: 'Осталось {count} попытки.' },
    de: { one: 'Noch {count} Versuch.', other: 'Noch {count} Versuche.' },
    vi: { other: 'Còn {count} lần thử.' },
    ar: { zero: 'لم تبقَ أي محاولة.', one: 'بقيت محاولة واحدة.', two: 'بقيت محاولتان.', few: 'بقيت {count} محاولات.', many: 'بقيت {count} محاولة.', other: 'بقيت {count} محاولة.' },
  },
};

export type PluralKey = keyof typeof PLURALS;

export function plural(lang: Lang, key: PluralKey, count: number): string {
  const forms = PLURALS[key][lang];
  const form = forms[new Intl.PluralRules(lang).select(count)] ?? forms.other;
  return form.replace('{count}', String(count));
}
