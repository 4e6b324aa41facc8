import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

// Crockford base32 as voucher codes are written (XXXX-XXXX-XXXX-XXXX), any case
const VOUCHER = /(?<![0-9A-Za-z])[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4}-[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4}-[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4}-[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4}(?![0-9A-Za-z])/;
// a link whose last segment is its bearer secret: set-up links (any audience), pay links, receipts, alert confirmations
const SECRET_LINK = /\/(?:setup|l|r|confirm)\/[A-Za-z0-9_-]{16,}/;
// E.164 with its +, the way phones are written in JSON, on pages and to the gateways
const PLUS_PHONE = /(?<![0-9A-Za-z])\+[1-9][0-9]{7,14}(?![0-9])/g;
// bare digits under a key that names a phone
const KEYED_PHONE = /"(?:phone|phones|to|msisdn|recipient|destination_addr|prerequest_phone|unknown_phone)":\s*\[?"\+?[1-9][0-9]{7,14}"/;
// a bare number of a phone's length that is a valid mobile number (holder ids and amounts are not written this way)
const BARE_DIGITS = /(?<![0-9A-Za-z_.:\-*])[1-9][0-9]{10,14}(?![0-9A-Za-z])/g;

function isMobile(digits: string): boolean {
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return !!parsed && parsed.isValid() && ['MOBILE', 'FIXED_LINE_OR_MOBILE'].includes(parsed.getType() ?? '');
}

/** What the line leaks, if anything: a full phone, a voucher code or a link's secret. */
export function leakIn(raw: string): string | undefined {
  // a + in a URL path or query is written %2B
  const line = raw.replace(/%2B/gi, '+');
  for (const m of line.matchAll(PLUS_PHONE)) if (isMobile(m[0].slice(1)) || m[0].length > 9) return 'a full phone';
  if (KEYED_PHONE.test(line)) return 'a full phone';
  for (const m of line.matchAll(BARE_DIGITS)) if (isMobile(m[0])) return 'a full phone';
  if (VOUCHER.test(line)) return 'a voucher code';
  if (SECRET_LINK.test(line)) return 'a link with its secret (set-up, pay link, receipt or confirmation)';
  return undefined;
}

/**
 * The log lines of the run (pino's JSON lines; the mails the SMTP sink keeps beside them carry links on
 * purpose) that hold personal data or a bearer secret, whatever test handed it out. Each is named with
 * its digits and letters blanked, so the failure message leaks nothing itself.
 */
export function personalDataLeaks(lines: string[]): string[] {
  const leaks: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    const what = leakIn(line);
    if (what) leaks.push(`${what} in: ${line.replace(/[0-9]/g, '#').slice(0, 400)}`);
  }
  return leaks;
}
