import { invalidRequest, AppError, type FieldError } from '../domain/errors.js';
import { parseAmount, type Minor } from '../domain/money.js';
import { PURSE_PATTERN } from '../domain/wallet.js';
import type { RedirectMethod } from '../domain/lmi.js';
import { parseFormBody } from './form-body.js';
import { langTagInput, redirectMethodInput } from './common.js';
import { buyerEmailInput, paymentNoQuery } from './payments.js';
import { hasNul } from '../domain/text.js';

export type LmiForm = {
  payeePurse: string;
  amount: Minor;
  amountAsSent: string;
  paymentNo: bigint | null;
  /** LMI_PAYMENT_NO exactly as posted (`007`): LMI_PAYMENTFORM_SIGN is computed over it. */
  paymentNoAsSent: string;
  description: string;
  simMode: 0 | 1 | 2 | null;
  resultUrl?: string;
  successUrl?: string;
  failUrl?: string;
  successMethod?: RedirectMethod;
  failMethod?: RedirectMethod;
  sign?: string;
  lang: string | null;
  /** LMI_PAYMER_EMAIL: the buyer's e-mail, for the receipt (docs/buyer-guide.md#receipts). */
  email: string | null;
  customFields: [string, string][];
};

const MAX_CUSTOM_FIELDS = 20;
const MAX_CUSTOM_BYTES = 2048;

/**
 * Reads the WebMoney-style form of docs/merchant-guide.md#the-form exactly as a browser encodes it. Every problem is
 * collected, so the error page lists them all. Unknown LMI_* fields are ignored, as WebMoney does.
 */
export function parseLmiForm(raw: unknown): LmiForm {
  if (typeof raw !== 'string') throw new AppError('unsupported_media_type', 'Send the payment form as application/x-www-form-urlencoded');
  const body = parseFormBody(raw);
  if (!body.ok) throw invalidRequest(`The payment form has a problem: ${body.field} ${body.message}`, [{ field: body.field, message: body.message }]);
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  const customFields: [string, string][] = [];
  for (const [name, value] of body.pairs) {
    if (seen.has(name) || customFields.some(([n]) => n === name)) {
      errors.push({ field: name, message: 'is sent more than once' });
      continue;
    }
    if (looksLikeLmi(name)) {
      errors.push({ field: name, message: 'looks like an LMI_ field but is not one (PHP would turn it into one): rename it' });
      continue;
    }
    if (name.startsWith('LMI_')) seen.set(name, value);
    else customFields.push([name, value]);
  }
  const field = (name: string) => {
    const value = seen.get(name)?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const fail = (name: string, message: string) => errors.push({ field: name, message });

  const payeePurse = field('LMI_PAYEE_PURSE');
  if (!payeePurse) fail('LMI_PAYEE_PURSE', 'is required');
  else if (!PURSE_PATTERN.test(payeePurse)) fail('LMI_PAYEE_PURSE', 'is a currency letter (Z, E, R, U) and 12 digits');

  // not trimmed: the signature is over the amount exactly as posted, and " 1.00" is not an amount
  const amountAsSent = seen.get('LMI_PAYMENT_AMOUNT') || undefined;
  const amount = amountAsSent === undefined ? undefined : parseAmount(amountAsSent);
  if (!amount) fail('LMI_PAYMENT_AMOUNT', 'is required');
  else if (!amount.ok) fail('LMI_PAYMENT_AMOUNT', amount.reason);

  const paymentNoText = seen.get('LMI_PAYMENT_NO') || undefined;
  let paymentNo: bigint | null = null;
  if (paymentNoText !== undefined) {
    const parsed = paymentNoQuery.safeParse(paymentNoText);
    if (parsed.success) paymentNo = parsed.data;
    else fail('LMI_PAYMENT_NO', 'is an integer from 0 to 2147483647');
  }

  let description = seen.get('LMI_PAYMENT_DESC') ?? '';
  const base64 = field('LMI_PAYMENT_DESC_BASE64');
  if (base64 !== undefined) {
    const decoded = decodeBase64Utf8(base64);
    if (decoded === undefined) fail('LMI_PAYMENT_DESC_BASE64', 'is not base64 of UTF-8 text');
    else description = decoded;
  }
  description = description.trim();
  if (hasNul(description)) fail('LMI_PAYMENT_DESC_BASE64', 'contains a NUL byte');
  if ([...description].length > 255) fail(base64 !== undefined ? 'LMI_PAYMENT_DESC_BASE64' : 'LMI_PAYMENT_DESC', 'is longer than 255 characters');

  const simText = field('LMI_SIM_MODE');
  if (simText !== undefined && !/^[012]$/.test(simText)) fail('LMI_SIM_MODE', 'is 0, 1 or 2');

  const method = (name: string) => {
    const value = field(name);
    if (value === undefined) return undefined;
    const m = redirectMethodInput.safeParse(value.toUpperCase());
    if (!m.success) fail(name, 'is 0 (GET), 1 (POST) or 2 (LINK)');
    return m.success ? m.data : undefined;
  };
  const successMethod = method('LMI_SUCCESS_METHOD');
  const failMethod = method('LMI_FAIL_METHOD');

  for (const name of ['LMI_RESULT_URL', 'LMI_SUCCESS_URL', 'LMI_FAIL_URL']) {
    const value = field(name);
    if (value !== undefined && !/^https?:\/\//i.test(value)) fail(name, 'is an absolute http(s) URL');
  }

  const lang = field('LMI_LANG');
  if (lang !== undefined && !langTagInput.safeParse(lang).success) fail('LMI_LANG', 'is a language tag such as en-US');

  const email = field('LMI_PAYMER_EMAIL');
  if (email !== undefined && !buyerEmailInput.safeParse(email).success) fail('LMI_PAYMER_EMAIL', 'is an e-mail address such as buyer@example.com');

  if (customFields.length > MAX_CUSTOM_FIELDS) fail('(form)', `has more than ${MAX_CUSTOM_FIELDS} fields of your own`);
  const customBytes = customFields.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (customBytes > MAX_CUSTOM_BYTES) fail('(form)', `fields of your own exceed ${MAX_CUSTOM_BYTES} bytes`);

  if (errors.length || !payeePurse || !amount?.ok || amountAsSent === undefined) {
    throw invalidRequest(`The payment form has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`}`, errors);
  }
  return {
    payeePurse,
    amount: amount.minor,
    amountAsSent,
    paymentNo,
    paymentNoAsSent: paymentNoText ?? '',
    description,
    simMode: simText === undefined ? null : (Number(simText) as 0 | 1 | 2),
    resultUrl: field('LMI_RESULT_URL'),
    successUrl: field('LMI_SUCCESS_URL'),
    failUrl: field('LMI_FAIL_URL'),
    successMethod,
    failMethod,
    sign: field('LMI_PAYMENTFORM_SIGN'),
    lang: lang ?? null,
    email: email === undefined ? null : buyerEmailInput.parse(email),
    customFields,
  };
}

function decodeBase64Utf8(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value, 'base64'));
  } catch {
    return undefined;
  }
}

/**
 * `LMI.X`, `LMI X`, `lmi_x`: PHP turns dots and spaces of field names into `_`, so at the merchant
 * such a field would overwrite a real LMI_ field. Only names starting exactly with `LMI_` are ours.
 */
function looksLikeLmi(name: string): boolean {
  return !name.startsWith('LMI_') && /^lmi[._ \[]/i.test(name.trimStart());
}
