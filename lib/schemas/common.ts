import { z } from 'zod';
import { AMOUNT, parseAmount, parseAmountOrZero } from '../domain/money.js';
import { parsePhone, type Phone } from '../domain/phone.js';
import { CURRENCIES } from '../domain/currency.js';
import { PURSE_PATTERN } from '../domain/wallet.js';
import { ALERT_EVENTS } from '../domain/alerts.js';
import { unlessMissing } from './plain-errors.js';

export const amountInput = z
  .string({ error: unlessMissing('amount must be a decimal string such as "12.08"') })
  .transform((value, ctx) => {
    const parsed = parseAmount(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    }
    return parsed.minor;
  })
  .meta({ description: 'Decimal string with a dot and at most two decimals, no leading zeros, > 0 and ≤ 10^12', example: '12.08', pattern: AMOUNT.source });

/** An amount where zero makes sense (a fixed fee, a payout minimum): digits, at most two decimals. */
export const amountOrZeroInput = z
  .string({ error: unlessMissing('is a decimal string such as "1.00"') })
  .transform((value, ctx) => {
    const parsed = parseAmountOrZero(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: 'is an amount such as 1.00 (no leading zeros), zero allowed' });
      return z.NEVER;
    }
    return parsed.minor;
  })
  .meta({ pattern: AMOUNT.source });

/**
 * A date (`2026-12-01`, midnight UTC) or a date-time with an offset (`2026-12-01T10:00:00Z`): a filter
 * by day should not need a time.
 */
export const dateOrDateTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: unlessMissing('is a date (2026-12-01) or a date-time with an offset (2026-12-01T10:00:00Z)') })
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v))
  .meta({ description: 'A date (midnight UTC) or a date-time with an offset', example: '2026-12-01' });

export const phoneInput = z
  .string({ error: unlessMissing('phone must be a string with a country code, such as "+7 903 123-45-67"') })
  .transform((value, ctx): Phone => {
    const parsed = parsePhone(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    }
    return parsed.phone;
  })
  .meta({ description: 'Phone number with country code, any common notation', example: '+7 903 123-45-67' });

export const currencyInput = z.enum(CURRENCIES, { error: unlessMissing(`currency must be one of ${CURRENCIES.join(', ')}`) });
export const modeInput = z.enum(['live', 'test'], { error: unlessMissing('mode must be "live" or "test"') });
export const purseParam = z.string().regex(PURSE_PATTERN, 'a purse is a currency letter (Z, E, R, U) and 12 digits');

export const httpUrl = z
  .string()
  .max(2000)
  .regex(/^[Hh][Tt][Tt][Pp][Ss]?:\/\/[^\s/]/, { message: 'must be an absolute http(s) URL without credentials', abort: true })
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL without credentials')
  .meta({ format: 'uri', description: 'An absolute http or https URL, without user or password' });

/** Text on one line: no control characters (C0 and DEL), as the OpenAPI `pattern` says too. */
export const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
/** Bidi overrides and isolates, the set of domain/text.ts: a buyer must read a name as it is. */
export const NO_BIDI = /^[^\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]*$/;

/** `Idempotency-Key` (docs/merchant-guide.md#the-json-api): 1 to 255 visible ASCII characters. */
export const idempotencyKeyHeader = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters')
  .meta({ description: 'Any unique string of 1 to 255 visible ASCII characters: a retry with the same key and body gets the first answer (24 hours)', example: 'order-1042-create' });

export const redirectMethodInput = z
  .union([z.literal('GET'), z.literal('POST'), z.literal('LINK'), z.literal('0'), z.literal('1'), z.literal('2')])
  .transform((v) => (({ '0': 'GET', '1': 'POST', '2': 'LINK' }) as Record<string, 'GET' | 'POST' | 'LINK'>)[v] ?? (v as 'GET' | 'POST' | 'LINK'));

/** A name buyers read (on the pay page, in the SMS): no bidi controls that could make it read as another. */
export const displayName = z
  .string({ error: unlessMissing('name must be a string') })
  .trim()
  .min(1, 'name is required')
  .max(100, 'name is at most 100 characters')
  .regex(NO_BIDI, 'name must not contain bidirectional control characters')
  .regex(NO_CONTROL, 'name must not contain control characters');

/** A language tag (`en`, `ru-RU`): LMI_LANG of the form and `lang` of the API. */
export const langTagInput = z.string().regex(/^[a-z]{2}(-[A-Za-z]{2})?$/, 'is a language tag such as en-US');

/** docs/merchant-guide.md#alerts: who hears of which events; every address and phone checked, a bad one named by its place. */
export const alertsInput = z.strictObject({
  emails: z.array(z.email({ error: unlessMissing('is not an e-mail address') }).max(254), { error: unlessMissing('emails is a list of e-mail addresses') })
    .max(10, 'at most 10 e-mail addresses').default([]),
  phones: z.array(phoneInput, { error: unlessMissing('phones is a list of phone numbers') }).max(5, 'at most 5 phones').default([]),
  events: z.array(z.enum(ALERT_EVENTS, { error: unlessMissing(`an event is one of ${ALERT_EVENTS.join(', ')}`) }), { error: unlessMissing('events is a list') }).default([]),
}).transform((a) => ({ emails: [...new Set(a.emails.map((e) => e.toLowerCase()))], phones: [...new Set(a.phones)], events: [...new Set(a.events)] }));

/** Paging of every list: how many items, and where the previous page ended. */
export const limitParam = (max = 100, fallback = 20) =>
  z.coerce.number().int().min(1).max(max).default(fallback).meta({ description: `Items per page, 1 to ${max}`, example: fallback });
export const cursorParam = z.string().max(200).optional().meta({ description: 'next_cursor of the previous page' });
