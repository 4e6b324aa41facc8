import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, ConfigError } from './config.js';
import { createLogger } from './log.js';
import { systemClock } from './clock.js';
import { EmbeddedPostgresError } from './postgres/embedded-postgres.js';
import { resolveServiceSecrets } from './use-cases/operators/resolve-service-secrets.js';
import { resealSecrets } from './use-cases/operators/reseal-secrets.js';
import { connectForTool } from './postgres/connect-for-tools.js';
import { migrateLatest, type Knex } from './postgres/db.js';
import { AppError, isAppError } from './domain/errors.js';
import { rowKeyOf } from './domain/request-key.js';
import { sha256Hex } from './domain/secrets.js';
import * as ops from './admin/operations.js';
import { adminErasePhone, adminExportPhone } from './admin/personal-data.js';
import { adminWalletsOfPhone } from './admin/wallets.js';
import { adminCreateOperator } from './admin/console.js';
import { createOperatorBody } from './schemas/console.js';
import { userInfo } from 'node:os';
import { parseInput } from './schemas/parse.js';
import { createMerchantBody, createShopBody, createWalletBody, listMerchantsQuery, merchantIdParam, shopIdParam, topUpBody, updateMerchantBody, adminUpdateShopBody, createUserBody, liftQuery, addressParam, emailParam, rangeParam, updateUserBody, userIdParam } from './schemas/admin.js';
import { apiKeyIdParam, idParam, refundBody } from './schemas/payments.js';
import { phoneInput, purseParam } from './schemas/common.js';
import { adminListPayoutsQuery, payoutFailedBody, payoutIdParam, payoutPaidBody } from './schemas/payouts.js';
import type { PayDeps } from './use-cases/shared/deps.js';
import { createApp } from './app.js';
import { createJobs } from './jobs/schedule.js';
import { VOUCHER_COMMANDS } from './cli/vouchers.js';
import { progressReporter } from './cli/progress.js';
import { cliSetWalletsFrozen } from './cli/wallet-freeze.js';

type Command = {
  usage: string;
  summary: string;
  options?: ParseArgsConfig['options'];
} & (
  | { run(deps: PayDeps, values: Record<string, unknown>, positionals: string[]): Promise<ops.Outcome | { ok: boolean; body: unknown }> }
  // before the service's wiring, which reads its secrets from a table the migrations make
  | { runOnDatabase(db: Knex): Promise<unknown> }
);

/** Who ran the CLI, for the audit of an erasure; a container without a passwd entry has no name. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

const COMMANDS: Record<string, Command> = {
  migrate: {
    usage: 'migrate',
    summary: 'apply database migrations (npm start does this too)',
    runOnDatabase: async (db) => ({ applied: await migrateLatest(db) }),
  },
  'merchants:create': {
    usage: 'merchants:create --name "Demo Shop" [--currency USD] [--mode live|test] [--result-url URL] [--success-url URL] [--fail-url URL] [--webhook-url URL] [--allowed-host HOST]... [--hash-method sha256|md5] [--prerequest] [--require-signed-forms] [--success-method GET|POST|LINK] [--fail-method GET|POST|LINK] [--capture automatic|manual]',
    summary: 'create a merchant with its wallet; prints the API key, secret key and webhook secret once',
    options: {
      name: { type: 'string' }, currency: { type: 'string' }, mode: { type: 'string' },
      'result-url': { type: 'string' }, 'success-url': { type: 'string' }, 'fail-url': { type: 'string' }, 'webhook-url': { type: 'string' },
      'allowed-host': { type: 'string', multiple: true }, 'hash-method': { type: 'string' }, prerequest: { type: 'boolean' },
      'require-signed-forms': { type: 'boolean' }, 'success-method': { type: 'string' }, 'fail-method': { type: 'string' }, capture: { type: 'string' },
    },
    run: (deps, v) => ops.adminCreateMerchant(deps, parseInput(createMerchantBody, snakeCase({ ...v, allowedHosts: v['allowed-host'], 'allowed-host': undefined }))),
  },
  'merchants:list': {
    usage: 'merchants:list [--limit 20] [--cursor MERCHANT_ID]',
    summary: 'the merchants, by id, a page at a time',
    options: { limit: { type: 'string' }, cursor: { type: 'string' } },
    run: (deps, v) => ops.adminListMerchants(deps, parseInput(listMerchantsQuery, snakeCase(v), 'options')),
  },
  'merchants:show': {
    usage: 'merchants:show MERCHANT_ID',
    summary: 'one merchant, with its status and purses',
    run: (deps, _v, [id]) => ops.adminShowMerchant(deps, parseInput(merchantIdParam, id, 'merchant id')),
  },
  'merchants:update': {
    usage: 'merchants:update MERCHANT_ID [--name NAME] [--status active|suspended] [--payout-schedule manual|daily|weekly|monthly] [--payout-minimum 1.00] [--payout-delay-days 7] [--payout-account TEXT]',
    summary: 'rename a merchant, suspend it (no new payments, keys refused) and reactivate it, or set how it is paid',
    options: {
      name: { type: 'string' }, status: { type: 'string' }, 'payout-schedule': { type: 'string' }, 'payout-minimum': { type: 'string' },
      'payout-delay-days': { type: 'string' }, 'payout-account': { type: 'string' },
    },
    run: (deps, v, [id]) => ops.adminUpdateMerchant(deps, parseInput(merchantIdParam, id, 'merchant id'), parseInput(updateMerchantBody, snakeCase({
      ...v, 'payout-delay-days': v['payout-delay-days'] === undefined ? undefined : Number(v['payout-delay-days']),
    }))),
  },
  'users:create': {
    usage: 'users:create MERCHANT_ID --email EMAIL --role owner|staff|viewer',
    summary: 'a back-office user; prints the one-time set-up link (valid 72 hours)',
    options: { email: { type: 'string' }, role: { type: 'string' } },
    run: (deps, v, [id]) => ops.adminCreateUser(deps, parseInput(merchantIdParam, id, 'merchant id'), parseInput(createUserBody, v, 'options')),
  },
  'users:update': {
    usage: 'users:update USER_ID [--role owner|staff|viewer] [--status active|disabled] [--reset-password] [--reset-totp]',
    summary: 'change a back-office user: its role, disable it (its sessions end at once) or enable it, a new set-up link (printed), its authenticator removed',
    options: { role: { type: 'string' }, status: { type: 'string' }, 'reset-password': { type: 'boolean' }, 'reset-totp': { type: 'boolean' } },
    run: (deps, v, [id]) => ops.adminUpdateUser(deps, parseInput(userIdParam, id, 'user id'), parseInput(updateUserBody, snakeCase(v), 'options')),
  },
  'operators:create': {
    usage: 'operators:create --email EMAIL --role admin|finance|support|cashier',
    summary: 'an operator user of /console; prints the one-time set-up link (valid 72 hours; admin and finance enrol an authenticator)',
    options: { email: { type: 'string' }, role: { type: 'string' } },
    run: (deps, v) => adminCreateOperator(deps, parseInput(createOperatorBody, v, 'options'), `cli:${userInfo().username}`),
  },
  'fees:set': {
    usage: 'fees:set --shop SHOP_ID --percent 2.50 [--fixed 0.10] [--refund keep|return]',
    summary: "a shop's own fee (docs/merchant-guide.md#fees), as PATCH /admin/v1/shops/{id} {fee}",
    options: { shop: { type: 'string' }, percent: { type: 'string' }, fixed: { type: 'string' }, refund: { type: 'string' } },
    run: (deps, { shop, ...fee }) => ops.adminUpdateShop(deps, parseInput(shopIdParam, shop, 'shop id'), parseInput(adminUpdateShopBody, { fee }, 'options')),
  },
  'limits:list': {
    usage: 'limits:list',
    summary: 'phones, number ranges and client addresses currently limited (docs/merchant-guide.md#abuse-limits)',
    run: (deps) => ops.adminListLimits(deps),
  },
  'limits:lift': {
    usage: 'limits:lift PHONE [--mode live|test] | --address IPV4_OR_IPV6 | --range +7903123 | --api-key KEY_ID | --email E-MAIL',
    summary: "lift the limits of one phone (its sends and wrong codes so far no longer count), client address (IPv4 or IPv6 /64), number range, API key or back-office e-mail (its sign-in lock)",
    options: { mode: { type: 'string' }, address: { type: 'string' }, range: { type: 'string' }, 'api-key': { type: 'string' }, email: { type: 'string' } },
    run: async (deps, { address, range, 'api-key': key, email, ...v }, [phone]) => {
      if ([phone, address, range, key, email].filter((x) => x !== undefined).length !== 1) throw new AppError('invalid_request', 'name one phone, --address, --range, --api-key or --email');
      if (email !== undefined) return ops.adminLiftEmail(deps, parseInput(emailParam, email, 'e-mail'));
      if (address !== undefined) return ops.adminLiftAddress(deps, parseInput(addressParam, address, 'address'));
      if (range !== undefined) return ops.adminLiftRange(deps, parseInput(rangeParam, range, 'range'));
      if (key !== undefined) return ops.adminLiftApiKey(deps, parseInput(apiKeyIdParam, key, 'API key id'));
      return ops.adminLiftPhone(deps, parseInput(phoneInput, phone, 'phone'), parseInput(liftQuery, v, 'options').mode);
    },
  },
  'phones:erase': {
    usage: 'phones:erase PHONE',
    summary: 'erase a phone: its traces masked to the last 2 digits, its /me sign-ins deleted, its wallets unlinked (refused while one holds money)',
    run: (deps, _v, [phone]) => adminErasePhone(deps, parseInput(phoneInput, phone, 'phone'), { by: `cli:${osUser()}` }),
  },
  'phones:export': {
    usage: 'phones:export PHONE',
    summary: 'everything kept about a phone, as JSON',
    run: (deps, _v, [phone]) => adminExportPhone(deps, parseInput(phoneInput, phone, 'phone')),
  },
  'payouts:list': {
    usage: 'payouts:list [--status pending|paid|failed] [--merchant-id MERCHANT_ID] [--limit 20] [--cursor CURSOR]',
    summary: 'the payouts, newest first (the bank step: pending ones)',
    options: { status: { type: 'string' }, 'merchant-id': { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
    run: (deps, v) => ops.adminListPayouts(deps, parseInput(adminListPayoutsQuery, snakeCase(v), 'options')),
  },
  'payouts:paid': {
    usage: 'payouts:paid PAYOUT_ID --reference BANK_REFERENCE',
    summary: 'the bank paid a pending payout: the money leaves the system (webhook payout.paid)',
    options: { reference: { type: 'string' } },
    run: (deps, v, [id]) => ops.adminSettlePayout(deps, parseInput(payoutIdParam, id, 'payout id'), { status: 'paid', ...parseInput(payoutPaidBody, v, 'options') }),
  },
  'payouts:failed': {
    usage: 'payouts:failed PAYOUT_ID --reason TEXT',
    summary: 'the bank refused a pending payout: the money returns to the merchant wallet (webhook payout.failed)',
    options: { reason: { type: 'string' } },
    run: (deps, v, [id]) => ops.adminSettlePayout(deps, parseInput(payoutIdParam, id, 'payout id'), { status: 'failed', ...parseInput(payoutFailedBody, v, 'options') }),
  },
  'payouts:run': {
    usage: 'payouts:run',
    summary: 'one scheduled payouts run now (the service runs it every 10 minutes); safe beside running instances',
    run: async (deps) => {
      const progress = progressReporter('payouts:run');
      const outcome = await ops.adminRunPayouts(deps, (done, total) => progress.update(done, total));
      progress.finish(`${String(outcome.body.created)} payouts made`);
      return outcome;
    },
  },
  'shops:create': {
    usage: 'shops:create MERCHANT_ID --name NAME --currency USD [--result-url URL] [--success-url URL] [--fail-url URL]',
    summary: "add a shop (with its payee purse) to a merchant; prints its secret key and webhook secret once",
    options: { name: { type: 'string' }, currency: { type: 'string' }, 'result-url': { type: 'string' }, 'success-url': { type: 'string' }, 'fail-url': { type: 'string' } },
    run: (deps, v, [id]) => ops.adminCreateShop(deps, parseInput(merchantIdParam, id, 'merchant id'), parseInput(createShopBody, snakeCase(v))),
  },
  'shops:show': {
    usage: 'shops:show SHOP_ID',
    summary: 'one shop: settings, methods, status and purses',
    run: (deps, _v, [id]) => ops.adminShowShop(deps, parseInput(shopIdParam, id, 'shop id')),
  },
  'shops:update': {
    usage: 'shops:update SHOP_ID [--name NAME] [--status active|disabled]',
    summary: 'rename a shop, or disable it (its forms and API payments are refused) and enable it again',
    options: { name: { type: 'string' }, status: { type: 'string' } },
    run: (deps, v, [id]) => ops.adminUpdateShop(deps, parseInput(shopIdParam, id, 'shop id'), parseInput(adminUpdateShopBody, snakeCase(v))),
  },
  'wallets:create': {
    usage: 'wallets:create --currency USD [--phone "+7 903 123-45-67"] [--mode live|test]',
    summary: 'open a customer wallet, linked to a phone when given',
    options: { currency: { type: 'string' }, phone: { type: 'string' }, mode: { type: 'string' } },
    run: (deps, v) => ops.adminCreateWallet(deps, parseInput(createWalletBody, snakeCase(v))),
  },
  'wallets:topup': {
    usage: 'wallets:topup PURSE AMOUNT [--key IDEMPOTENCY_KEY]',
    summary: 'issue money into a wallet',
    options: { key: { type: 'string' } },
    run: (deps, v, [purse, amount]) => ops.adminTopUp(deps, parseInput(purseParam, purse, 'purse'), parseInput(topUpBody, { amount }), v.key as string | undefined),
  },
  'wallets:show': {
    usage: 'wallets:show PURSE',
    summary: 'balance, held and available money of a wallet',
    run: (deps, _v, [purse]) => ops.adminShowWallet(deps, parseInput(purseParam, purse, 'purse')),
  },
  'wallets:find': {
    usage: 'wallets:find PHONE',
    summary: 'the wallets of exactly this phone, each with its latest 50 movements (GET /admin/v1/wallets?phone=)',
    run: (deps, _v, [phone]) => adminWalletsOfPhone(deps, parseInput(phoneInput, phone, 'phone')),
  },
  'wallets:freeze': {
    usage: 'wallets:freeze PHONE',
    summary: 'freeze every wallet of a phone (a lost phone): they pay nothing until unfrozen; refunds still arrive',
    run: (deps, _v, [phone]) => cliSetWalletsFrozen(deps, 'freeze', parseInput(phoneInput, phone, 'phone'), `cli:${osUser()}`),
  },
  'wallets:unfreeze': {
    usage: 'wallets:unfreeze PHONE',
    summary: 'unfreeze every wallet of a phone (speak to its owner first)',
    run: (deps, _v, [phone]) => cliSetWalletsFrozen(deps, 'unfreeze', parseInput(phoneInput, phone, 'phone'), `cli:${osUser()}`),
  },
  'refunds:create': {
    usage: 'refunds:create PAYMENT_ID [--amount 5.00] [--phone "+7 903 123-45-67"] [--key IDEMPOTENCY_KEY]',
    summary: "refund all or part of a payment to the payer's phone (or another phone); run again with the same --key, it refunds once",
    options: { amount: { type: 'string' }, phone: { type: 'string' }, key: { type: 'string' } },
    run: (deps, { key, ...v }, [paymentId]) => {
      const body = parseInput(refundBody, snakeCase(v));
      const id = parseInput(idParam, paymentId, 'payment id');
      const createKey = typeof key === 'string' ? rowKeyOf(key, sha256Hex(`refunds:create ${id} ${body.amount ?? 'rest'} ${body.phone ?? 'payer'}`)) : undefined;
      return ops.adminRefund(deps, id, body, createKey);
    },
  },
  'refunds:list': {
    usage: 'refunds:list PAYMENT_ID',
    summary: 'the refunds of a payment',
    run: (deps, _v, [paymentId]) => ops.adminListRefunds(deps, parseInput(idParam, paymentId, 'payment id')),
  },
  'jobs:run': {
    usage: 'jobs:run NAME',
    summary: 'run one periodic job once (an unknown name lists them), e.g. void-expired-authorizations',
    run: async (deps, _v, [name]) => {
      const jobs = createJobs(deps).list;
      const job = jobs.find((j) => j.name === name);
      if (!job) return { ok: false, body: { error: `unknown job "${name}"`, jobs: jobs.map((j) => j.name) } };
      return { ok: true, body: { job: job.name, result: await job.run() } };
    },
  },
  'secrets:reseal': {
    usage: 'secrets:reseal',
    summary: 'seal every stored secret again with DATA_KEY, bound to its row: phase 3 of a rotation, once every instance runs DATA_KEY=new DATA_KEY_PREVIOUS=old',
    run: async (deps) => ({ created: false, body: await resealSecrets(deps) }),
  },
  'ledger:check': {
    usage: 'ledger:check',
    summary: 'prove every balance from the postings; exits with 1 when something is wrong',
    run: async (deps) => {
      const progress = progressReporter('ledger:check');
      const outcome = await ops.adminCheckLedger(deps, (done, total) => progress.update(done, total));
      progress.finish(outcome.body.ok === true ? 'ok' : 'PROBLEMS FOUND');
      return { ok: outcome.body.ok === true, body: outcome.body };
    },
  },
  ...VOUCHER_COMMANDS,
};

function snakeCase(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.replace(/[-A-Z]/g, (c) => (c === '-' ? '_' : `_${c.toLowerCase()}`)), v]),
  );
}

function help(): string {
  const lines = Object.entries(COMMANDS).map(([, c]) => `  npm run cli -- ${c.usage}\n      ${c.summary}`);
  return `telepurse operator CLI (same operations as /admin/v1)\n\nUses DATABASE_URL, or the embedded database of npm start in DATA_DIR.\n\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help')) {
    process.stdout.write(`npm run cli -- ${command.usage}\n  ${command.summary}\n`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nusage: npm run cli -- ${command.usage}\n`);
    return 2;
  }
  const log = createLogger('warn', process.stderr);
  const { db, close } = await connectForTool(loadConfig());
  if ('runOnDatabase' in command) {
    try {
      process.stdout.write(`${JSON.stringify(await command.runOnDatabase(db), null, 2)}\n`);
      return 0;
    } finally {
      await close();
    }
  }
  const config = await resolveServiceSecrets(db, loadConfig());
  // the same wiring as the service (outbox, SMS), without HTTP or jobs: queued notifications get their first attempt here
  const app = createApp({ db, config, clock: systemClock, log });
  try {
    const outcome = await command.run(app.deps, parsed.values, parsed.positionals);
    process.stdout.write(`${JSON.stringify(outcome.body, null, 2)}\n`);
    return 'ok' in outcome && outcome.ok === false ? 1 : 0;
  } catch (err) {
    if (isAppError(err)) {
      const extra = 'errors' in err.extra ? `\n${JSON.stringify(err.extra.errors, null, 2)}` : '';
      process.stderr.write(`${err.code}: ${err.message}${extra}\n`);
      return 1;
    }
    throw err;
  } finally {
    await app.stop();
    await close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    const plain = err instanceof ConfigError || err instanceof EmbeddedPostgresError;
    process.stderr.write(`${plain ? err.message : (err as Error).stack}\n`);
    process.exit(1);
  },
);
