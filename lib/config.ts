import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { z } from 'zod';
import { plainError } from './schemas/plain-errors.js';
import { DEFAULT_FEE_REFUND, parsePercent, type FeeRule } from './domain/fee.js';
import { parseAmountOrZero } from './domain/money.js';

const configDir = fileURLToPath(new URL('../config/', import.meta.url));

const gatewayName = z.enum(['log', 'http', 'smpp']);
const positiveInt = z.number().int().positive();

const schema = z.object({
  env: z.enum(['development', 'test', 'production']),
  port: z.number().int().min(0).max(65535),
  publicUrl: z.url({ protocol: /^https?$/ }).nullable(),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').nullable(),
  dataDir: z.string().min(1),
  embeddedPgPort: z.number().int().min(1).max(65535),
  seedDemo: z.boolean(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  adminToken: z.string().min(16, 'must be at least 16 characters').nullable(),
  /** With a token, /metrics answers only `Authorization: Bearer <token>`; without, anyone who reaches it. */
  metricsToken: z.string().min(16, 'must be at least 16 characters').nullable(),
  /** Human-readable coloured logs (pino-pretty) instead of JSON lines: for a developer's terminal. */
  logPretty: z.boolean(),
  codeSecret: z.string().min(16, 'must be at least 16 characters').nullable(),
  /** During a CODE_SECRET rotation: codes and CSRF tokens made with these are accepted too, never made (docs/operator-guide.md#rotating-data_key-and-code_secret). */
  codeSecretPrevious: z.string().min(16, 'must be at least 16 characters').nullable().default(null),
  codeSecretNext: z.string().min(16, 'must be at least 16 characters').nullable().default(null),
  dataKey: z.string().min(32, 'must be at least 32 characters').nullable(),
  /** During a DATA_KEY rotation: values sealed with these open too; only DATA_KEY seals (docs/operator-guide.md#rotating-data_key-and-code_secret). */
  dataKeyPrevious: z.string().min(32, 'must be at least 32 characters').nullable(),
  dataKeyNext: z.string().min(32, 'must be at least 32 characters').nullable().default(null),
  smsGateway: z.array(gatewayName).min(1, 'must name at least one gateway').nullable(),
  smsHttpUrl: z.url({ protocol: /^https?$/ }).nullable(),
  smsHttpToken: z.string().nullable(),
  smppUrl: z.string().regex(/^smpp:\/\//, 'must start with smpp://').nullable(),
  /** One deadline for a whole try of the http gateway (connect, headers and body), and for an SMPP send (bind wait and every part). */
  smsHttpTimeoutMs: positiveInt.default(5000),
  smppTimeoutMs: positiveInt.default(10000),
  /** The http gateway takes `reference` as an idempotency key: a try whose outcome is unknown may be sent again. */
  smsHttpIdempotent: z.boolean().default(false),
  /** docs/operator-guide.md#whatsapp-channel: pay links and receipts by WhatsApp (Cloud API); unset: SMS only. */
  messenger: z.enum(['whatsapp']).nullable().default(null),
  whatsappApiUrl: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com/v25.0'),
  whatsappToken: z.string().min(1).nullable().default(null),
  whatsappPhoneNumberId: z.string().regex(/^\d{1,30}$/, 'must be the digits of the phone number id').nullable().default(null),
  whatsappAppSecret: z.string().min(1).nullable().default(null),
  whatsappVerifyToken: z.string().min(1).nullable().default(null),
  whatsappTemplateLink: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be a template name (lower case, digits, _)').default('telepurse_pay_link'),
  whatsappTemplateReceipt: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be a template name (lower case, digits, _)').default('telepurse_receipt'),
  /** docs/merchant-guide.md#alerts: mail alerts over SMTP (smtp:// upgrades with STARTTLS when offered, smtps:// is TLS from the start). */
  smtpUrl: z.string().regex(/^smtps?:\/\/[^/]+/, 'must look like smtp://user:pass@host:587 or smtps://user:pass@host:465').nullable(),
  mailFrom: z.string().min(3).max(200),
  /** docs/configuration.md: who runs this service, named on the hosted pages so the buyer knows who carries the money to the shop. */
  operatorName: z.string().trim().min(1).max(100).default('telepurse'),
  operatorUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
  /** docs/merchant-guide.md#abuse-limits: every abuse limit, configurable; their state lives in PostgreSQL (rate_counters). */
  limits: z.object({
    formPaymentsPerClientPerMinute: positiveInt,
    codesPerClientPerHour: positiveInt,
    wrongCodesPerClientPerHour: positiveInt,
    wrongTriesPerPhonePerClientPerDay: positiveInt,
    rangeSmsPerHour: positiveInt,
    smsBudgetPerMinute: positiveInt,
    apiRatePerSecond: positiveInt,
    signInFailuresPerClient: positiveInt,
    /** docs/merchant-guide.md#alerts: alert and confirmation SMS per phone an hour, and confirmation messages per recipient a day. */
    alertSmsPerPhonePerHour: positiveInt,
    alertConfirmationsPerDay: positiveInt,
    /** docs/operator-guide.md#vouchers-and-cash-in: wrong voucher codes per phone a day and per client address an hour. */
    voucherWrongCodesPerPhonePerDay: positiveInt.default(10),
    voucherWrongCodesPerClientPerHour: positiveInt.default(30),
    /** docs/buyer-guide.md: downloads of /me/export.json per phone an hour (each reads the payments table for the phone's mentions). */
    exportsPerPhonePerHour: positiveInt.default(10),
    /** ISO 3166 country codes SMS may go to; null: every country. */
    smsCountries: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be ISO country codes such as DE,RU')).min(1).nullable(),
  }),
  allowPrivateCallbacks: z.boolean(),
  /** Resolvers for merchant hosts (`1.1.1.1`, `[::1]:53`, `127.0.0.1:5353`); null: the system's. */
  dnsServers: z.array(z.string().min(1)).min(1).nullable(),
  trustProxy: z.boolean(),
  /** The operator's default fee (docs/merchant-guide.md#fees), for shops without their own: percent as a decimal string, fixed in minor units. */
  defaultFeePercent: z.string().refine((v) => parsePercent(v) !== undefined, 'must be a percent from 0 to 100 such as 3 or 2.50'),
  defaultFeeFixed: z.string().refine((v) => parseAmountOrZero(v).ok, 'must be an amount such as 0.30 (no leading zeros)'),
  /** NODE_ENV was not set: development by default, said loudly at start. */
  envImplicit: z.boolean(),
  notifyRetrySchedule: z.array(positiveInt).min(1),
  notifyTimeoutMs: positiveInt,
  prerequestTimeoutMs: positiveInt,
  codes: z.object({
    length: z.number().int().min(4).max(8),
    ttlSeconds: positiveInt,
    maxWrongTriesPerCode: positiveInt,
    maxCodesPerPayment: positiveInt,
    maxCodesPerPhonePerHour: positiveInt,
    maxWrongTriesPerPhonePerDay: positiveInt,
    maxRefundSmsPerPhonePerDay: positiveInt,
  }),
  maxRedeliveriesPerNotification: positiveInt,
  notificationAttemptsPageSize: positiveInt,
  paymentTtlSeconds: positiveInt,
  holdTtlSeconds: positiveInt,
  refundWindowDays: positiveInt,
  /** Ended payments keep their phone, description and merchant fields this long (docs/operator-guide.md#personal-data-what-is-kept-for-how-long-and-why). */
  retentionDays: positiveInt,
  idempotencyTtlSeconds: positiveInt,
  /** A request that died holding its Idempotency-Key (a killed process) frees it after this long. */
  idempotencyInFlightSeconds: positiveInt,
  /** How long an instance trusts an API key lookup (issue 23): the bound on a revoked key still working elsewhere; 0 looks up every request. */
  apiKeyCacheMs: z.number().int().min(0).max(1000, 'must be at most 1000 (a revoked key must be refused within 1 s)'),
  bodyLimits: z.object({ json: z.string(), form: z.string() }),
  dbPoolMax: positiveInt,
  shutdownGraceMs: positiveInt,
  /** docs/configuration.md: whether a phone without a wallet gets one (signing in at /me, redeeming a voucher); null: closed in production, open elsewhere. */
  walletSignup: z.enum(['closed', 'open']).nullable().default(null),
  walletSignupCurrency: z.enum(['USD', 'EUR', 'RUB', 'UAH']).default('USD'),
  /** docs/operator-guide.md#vouchers-and-cash-in: what one cashier may cash in per currency and UTC day. */
  cashierTopupPerDay: z.string().refine((v) => parseAmountOrZero(v).ok, 'must be an amount such as 1000.00').default('1000.00'),
});

/** The fee strings are read once, into `defaultFee`, and CASHIER_TOPUP_PER_DAY into `cashierLimit` (minor units): no other place parses them. */
export type Config = Readonly<Omit<z.infer<typeof schema>, 'publicUrl' | 'defaultFeePercent' | 'defaultFeeFixed'> & { publicUrl: string; defaultFee: FeeRule; cashierLimit: bigint }>;
type Env = Record<string, string | undefined>;

const int = (v: string) => (/^-?\d+$/.test(v.trim()) ? Number(v) : v);
// true/false or 1/0, as environment files write them; anything else is refused by name
const bool = (v: string) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v);
const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
const ints = (v: string) => list(v).map(int);

// Environment variable → config path and parser; the names are the public ones of docs/configuration.md.
const ENV_MAP: Record<string, [string, (v: string) => unknown]> = {
  PORT: ['port', int],
  PUBLIC_URL: ['publicUrl', String],
  DATABASE_URL: ['databaseUrl', String],
  DATA_DIR: ['dataDir', String],
  EMBEDDED_PG_PORT: ['embeddedPgPort', int],
  SEED_DEMO: ['seedDemo', bool],
  LOG_LEVEL: ['logLevel', String],
  ADMIN_TOKEN: ['adminToken', String],
  METRICS_TOKEN: ['metricsToken', String],
  IDEMPOTENCY_IN_FLIGHT_SECONDS: ['idempotencyInFlightSeconds', int],
  API_KEY_CACHE_MS: ['apiKeyCacheMs', int],
  LOG_PRETTY: ['logPretty', bool],
  CODE_SECRET: ['codeSecret', String],
  CODE_SECRET_PREVIOUS: ['codeSecretPrevious', String],
  CODE_SECRET_NEXT: ['codeSecretNext', String],
  DATA_KEY: ['dataKey', String],
  DATA_KEY_PREVIOUS: ['dataKeyPrevious', String],
  DATA_KEY_NEXT: ['dataKeyNext', String],
  SMS_GATEWAY: ['smsGateway', list],
  SMS_HTTP_URL: ['smsHttpUrl', String],
  SMS_HTTP_TOKEN: ['smsHttpToken', String],
  SMPP_URL: ['smppUrl', String],
  SMS_HTTP_TIMEOUT_MS: ['smsHttpTimeoutMs', int],
  SMS_HTTP_IDEMPOTENT: ['smsHttpIdempotent', bool],
  SMPP_TIMEOUT_MS: ['smppTimeoutMs', int],
  MESSENGER: ['messenger', String],
  WHATSAPP_API_URL: ['whatsappApiUrl', String],
  WHATSAPP_TOKEN: ['whatsappToken', String],
  WHATSAPP_PHONE_NUMBER_ID: ['whatsappPhoneNumberId', String],
  WHATSAPP_APP_SECRET: ['whatsappAppSecret', String],
  WHATSAPP_VERIFY_TOKEN: ['whatsappVerifyToken', String],
  WHATSAPP_TEMPLATE_LINK: ['whatsappTemplateLink', String],
  WHATSAPP_TEMPLATE_RECEIPT: ['whatsappTemplateReceipt', String],
  SMTP_URL: ['smtpUrl', String],
  MAIL_FROM: ['mailFrom', String],
  OPERATOR_NAME: ['operatorName', String],
  OPERATOR_URL: ['operatorUrl', String],
  FORM_PAYMENTS_PER_MINUTE: ['limits.formPaymentsPerClientPerMinute', int],
  PAGE_CODES_PER_HOUR: ['limits.codesPerClientPerHour', int],
  PAGE_WRONG_CODES_PER_HOUR: ['limits.wrongCodesPerClientPerHour', int],
  WRONG_TRIES_PER_PHONE_PER_CLIENT_PER_DAY: ['limits.wrongTriesPerPhonePerClientPerDay', int],
  WRONG_TRIES_PER_PHONE_PER_DAY: ['codes.maxWrongTriesPerPhonePerDay', int],
  CODES_PER_PHONE_PER_HOUR: ['codes.maxCodesPerPhonePerHour', int],
  RANGE_SMS_PER_HOUR: ['limits.rangeSmsPerHour', int],
  SMS_BUDGET_PER_MINUTE: ['limits.smsBudgetPerMinute', int],
  API_RATE_PER_SECOND: ['limits.apiRatePerSecond', int],
  OFFICE_SIGN_IN_FAILURES_PER_ADDRESS: ['limits.signInFailuresPerClient', int],
  ALERT_SMS_PER_PHONE_PER_HOUR: ['limits.alertSmsPerPhonePerHour', int],
  ALERT_CONFIRMATIONS_PER_DAY: ['limits.alertConfirmationsPerDay', int],
  SMS_COUNTRIES: ['limits.smsCountries', (v: string) => list(v).map((c) => c.toUpperCase())],
  ALLOW_PRIVATE_CALLBACKS: ['allowPrivateCallbacks', bool],
  DNS_SERVERS: ['dnsServers', list],
  TRUST_PROXY: ['trustProxy', bool],
  DEFAULT_FEE_PERCENT: ['defaultFeePercent', String],
  DEFAULT_FEE_FIXED: ['defaultFeeFixed', String],
  REFUND_SMS_PER_PHONE_PER_DAY: ['codes.maxRefundSmsPerPhonePerDay', int],
  MAX_REDELIVERIES: ['maxRedeliveriesPerNotification', int],
  NOTIFY_RETRY_SCHEDULE: ['notifyRetrySchedule', ints],
  NOTIFY_TIMEOUT_MS: ['notifyTimeoutMs', int],
  CODE_LENGTH: ['codes.length', int],
  PAYMENT_TTL_SECONDS: ['paymentTtlSeconds', int],
  HOLD_TTL_SECONDS: ['holdTtlSeconds', int],
  REFUND_WINDOW_DAYS: ['refundWindowDays', int],
  RETENTION_DAYS: ['retentionDays', int],
  DB_POOL_MAX: ['dbPoolMax', int],
  VOUCHER_WRONG_CODES_PER_PHONE_PER_DAY: ['limits.voucherWrongCodesPerPhonePerDay', int],
  VOUCHER_WRONG_CODES_PER_HOUR: ['limits.voucherWrongCodesPerClientPerHour', int],
  WALLET_SIGNUP: ['walletSignup', String],
  WALLET_SIGNUP_CURRENCY: ['walletSignupCurrency', String],
  CASHIER_TOPUP_PER_DAY: ['cashierTopupPerDay', String],
};

export class ConfigError extends Error {}

function minorOf(amount: string): bigint {
  const parsed = parseAmountOrZero(amount);
  if (!parsed.ok) throw new ConfigError(`DEFAULT_FEE_FIXED: ${parsed.reason}`);
  return parsed.minor;
}

function readJson(name: string): Record<string, unknown> {
  const file = path.join(configDir, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown) {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** Defaults from config/default.json, then config/<env>.json, then the environment. */
export function loadConfig(env: Env = process.env, overrides: Record<string, unknown> = {}): Config {
  const nodeEnv = env.NODE_ENV || 'development';
  let raw = merge(readJson('default'), readJson(nodeEnv));
  raw = merge(raw, { env: nodeEnv, envImplicit: env.NODE_ENV === undefined || env.NODE_ENV === '' });
  for (const [name, [dotted, parse]] of Object.entries(ENV_MAP)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, dotted, parse(value));
  }
  raw = merge(raw, overrides);
  const parsed = schema.safeParse(raw, { error: plainError });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${settingName(i.path)}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  // PUBLIC_URL follows the port in use unless it is set (docs/operator-guide.md#several-instances-and-database-outages)
  config.publicUrl ??= `http://localhost:${config.port}`;
  // docs/configuration.md: only the operator opens wallets in production unless WALLET_SIGNUP says otherwise
  config.walletSignup ??= config.env === 'production' ? 'closed' : 'open';
  const defaultFee: FeeRule = { percentBp: parsePercent(config.defaultFeePercent)!, fixed: minorOf(config.defaultFeeFixed), refund: DEFAULT_FEE_REFUND };
  requireGatewaySettings(config);
  // docs/operator-guide.md#personal-data-what-is-kept-for-how-long-and-why: a payment still refundable keeps the phone its refund goes to
  if (config.retentionDays < config.refundWindowDays) throw new ConfigError(`RETENTION_DAYS (${config.retentionDays}) must be at least REFUND_WINDOW_DAYS (${config.refundWindowDays}): a refundable payment must keep its phone`);
  if (config.env === 'production') requireProductionSettings(config);
  return deepFreeze({ ...config, defaultFee, cashierLimit: minorOf(config.cashierTopupPerDay) } as Config);
}

function settingName(pathParts: PropertyKey[]): string {
  const dotted = pathParts.filter((p) => typeof p === 'string').join('.');
  const envName = Object.entries(ENV_MAP).find(([, [p]]) => p === dotted)?.[0];
  return envName ? `${envName} (${dotted})` : dotted;
}

function requireGatewaySettings(config: z.infer<typeof schema>) {
  if (config.smsGateway?.includes('http') && !config.smsHttpUrl) throw new ConfigError('SMS_GATEWAY includes http: set SMS_HTTP_URL');
  if (config.smsGateway?.includes('smpp') && !config.smppUrl) throw new ConfigError('SMS_GATEWAY includes smpp: set SMPP_URL');
  requireMessengerSettings(config);
}

/** MESSENGER=whatsapp needs its secrets; the token crosses the network, so production sends it over https only. */
function requireMessengerSettings(config: z.infer<typeof schema>) {
  if (config.messenger !== 'whatsapp') return;
  const c = config;
  const missing = Object.entries({ WHATSAPP_TOKEN: c.whatsappToken, WHATSAPP_PHONE_NUMBER_ID: c.whatsappPhoneNumberId, WHATSAPP_APP_SECRET: c.whatsappAppSecret, WHATSAPP_VERIFY_TOKEN: c.whatsappVerifyToken })
    .filter(([, value]) => !value).map(([name]) => name);
  if (missing.length) throw new ConfigError(`MESSENGER=whatsapp: set ${missing.join(', ')}`);
  if (config.env === 'production' && !c.whatsappApiUrl.startsWith('https:')) throw new ConfigError('WHATSAPP_API_URL: must be https:// in production');
}

function requireProductionSettings(config: z.infer<typeof schema>) {
  const missing: string[] = [];
  if (!config.databaseUrl) missing.push('DATABASE_URL');
  if (!config.adminToken) missing.push('ADMIN_TOKEN');
  if (!config.codeSecret) missing.push('CODE_SECRET');
  if (!config.dataKey) missing.push('DATA_KEY');
  if (!config.smsGateway) missing.push('SMS_GATEWAY');
  if (missing.length) throw new ConfigError(`In production these settings are required: ${missing.join(', ')}`);
  if (config.smsGateway?.includes('log')) {
    throw new ConfigError('SMS_GATEWAY: the log gateway is for development and cannot be used in production');
  }
}
