import { createHash } from 'node:crypto';
import type { ShopId } from './ids.js';
import { sanitizeSvg } from './svg-sanitize.js';

/** docs/merchant-guide.md#brand: what the buyer sees of the shop besides its name. */
export type Brand = {
  logo: BrandLogo | null;
  /** `#rrggbb` as the merchant chose it; the pages use buttonColor() of it. */
  color: string | null;
  supportEmail: string | null;
  /** Digits with country code, no `+` (as every phone here). */
  supportPhone: string | null;
  termsUrl: string | null;
};

export type LogoType = 'image/png' | 'image/svg+xml';
export type BrandLogo = { hash: string; type: LogoType };
export const NO_BRAND: Brand = { logo: null, color: null, supportEmail: null, supportPhone: null, termsUrl: null };
export const LOGO_MAX_BYTES = 100 * 1024;
export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
/** WCAG 2 AA for normal text: white on the button. */
export const MIN_CONTRAST = 4.5;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A logo ready to store: PNG kept byte for byte, SVG re-written by the sanitizer; `refused` says why not. */
export type CheckedLogo = { ok: true; type: LogoType; bytes: Buffer; hash: string } | { ok: false; refused: string };

/** Sniffs the bytes (never trusts a declared type): a PNG by its signature, an SVG by parsing it. */
export function checkLogo(bytes: Buffer): CheckedLogo {
  if (bytes.length === 0) return { ok: false, refused: 'the logo is empty' };
  if (bytes.length > LOGO_MAX_BYTES) return { ok: false, refused: `the logo is larger than ${LOGO_MAX_BYTES / 1024} KB` };
  if (bytes.subarray(0, 8).equals(PNG_MAGIC)) return stored('image/png', bytes);
  const text = bytes.toString('utf8');
  if (!/<svg[\s>]/i.test(text)) return { ok: false, refused: 'the logo is neither a PNG nor an SVG' };
  const clean = sanitizeSvg(text);
  if (clean === null) return { ok: false, refused: 'the SVG could not be read' };
  return stored('image/svg+xml', Buffer.from(clean, 'utf8'));
}

function stored(type: LogoType, bytes: Buffer): CheckedLogo {
  return { ok: true, type, bytes, hash: createHash('sha256').update(bytes).digest('hex').slice(0, 32) };
}

/** `data:image/png;base64,…` or `data:image/svg+xml;base64,…` (or URL-encoded SVG) → its bytes; undefined when it is no data URL. */
export function dataUrlBytes(url: string): Buffer | undefined {
  const m = /^data:([a-z0-9.+/-]*)((?:;[a-z0-9=-]+)*?)(;base64)?,(.*)$/is.exec(url);
  if (!m) return undefined;
  try {
    return m[3] ? Buffer.from(m[4]!, 'base64') : Buffer.from(decodeURIComponent(m[4]!), 'utf8');
  } catch {
    return undefined;
  }
}

/** The logo's own address, named by its hash so it can be cached for ever. */
export function logoPath(shopId: ShopId, logo: BrandLogo): string {
  return `/brand/${shopId}/${logo.hash}.${logo.type === 'image/png' ? 'png' : 'svg'}`;
}

type Rgb = [number, number, number];

function parseHex(hex: string): Rgb {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

const toHex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** WCAG 2 relative luminance of an sRGB colour. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The merchant's colour for a button with white text: darkened step by step (hue kept) until white on it reads at 4.5:1. */
export function buttonColor(hex: string): string {
  return darkenedAgainst(hex, '#ffffff');
}

/** The colour darkened (hue kept) until it reads at 4.5:1 against `background` (text in that colour, or white text on it). */
export function darkenedAgainst(hex: string, background: string): string {
  let rgb = parseHex(hex.toLowerCase());
  for (let i = 0; i < 100 && contrastRatio(toHex(rgb), background) < MIN_CONTRAST; i++) rgb = rgb.map((c) => c * 0.95) as Rgb;
  return toHex(rgb);
}
