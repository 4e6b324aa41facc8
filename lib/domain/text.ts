/** Rules for text that enters from outside, whatever the channel (form, JSON, query, CLI). */

// PostgreSQL text cannot hold U+0000; no legitimate field needs it
const NUL = /\u0000/;
// bidi overrides and isolates can make a name read differently from what it is ("Trojan Source")
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

export function hasNul(value: string): boolean {
  return NUL.test(value);
}

export function hasBidiControl(value: string): boolean {
  return BIDI_CONTROL.test(value);
}

/** The first string in a JSON value (at any depth) that holds a NUL, with its path, e.g. `metadata.note`. */
export function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return hasNul(value) ? path || '(body)' : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findNul(item, path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (hasNul(key)) return at;
      const found = findNul(item, at);
      if (found) return found;
    }
  }
  return undefined;
}
