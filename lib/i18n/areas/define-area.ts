/** An area's texts in the five languages; every language must carry exactly the English keys. */
export function defineArea<const E extends Record<string, string>>(
  en: E,
  others: { ru: Record<keyof E, string>; de: Record<keyof E, string>; vi: Record<keyof E, string>; ar: Record<keyof E, string> },
) {
  return { en, ...others };
}
