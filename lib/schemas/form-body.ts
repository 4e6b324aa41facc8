import { hasNul } from '../domain/text.js';

export type FormParse = { ok: true; pairs: [string, string][] } | { ok: false; field: string; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(part: string): string | undefined {
  const spaced = part.replace(/\+/g, ' ');
  const bytes: number[] = [];
  for (let i = 0; i < spaced.length; i++) {
    const c = spaced[i]!;
    if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(spaced.slice(i + 1, i + 3))) {
      bytes.push(parseInt(spaced.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/**
 * application/x-www-form-urlencoded as browsers send it, but strict: URLSearchParams would turn
 * invalid UTF-8 into U+FFFD silently, and a NUL would reach PostgreSQL. Either is refused here,
 * naming the field.
 */
export function parseFormBody(raw: string): FormParse {
  const pairs: [string, string][] = [];
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = decode(eq < 0 ? piece : piece.slice(0, eq));
    const value = eq < 0 ? '' : decode(piece.slice(eq + 1));
    const field = name ?? (eq < 0 ? piece : piece.slice(0, eq)).slice(0, 60);
    if (name === undefined || value === undefined) return { ok: false, field, message: 'is not valid UTF-8 text' };
    if (hasNul(name) || hasNul(value)) return { ok: false, field: name.replace(/\u0000/g, '\\0'), message: 'contains a NUL byte' };
    pairs.push([name, value]);
  }
  return { ok: true, pairs };
}
