import assert from 'node:assert/strict';
import pg from 'pg';
import type { MerchantId } from '../../lib/domain/ids.js';
import type { TestDatabase } from '../helpers/database.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer } from '../helpers/merchant.js';
import { query, inTransaction, type Db } from '../../lib/postgres/db.js';
import * as payments from '../../lib/store/payments.js';
import * as notifications from '../../lib/store/notifications.js';
import * as sms from '../../lib/store/sms-messages.js';
import * as idempotency from '../../lib/store/idempotency.js';
import * as retention from '../../lib/store/retention.js';
import * as signInCodes from '../../lib/store/sign-in-codes.js';
import * as walletPostings from '../../lib/store/wallet-postings.js';
import * as users from '../../lib/store/users.js';

const ROWS = 200_000;
// the tables that grow with traffic: none of their queries may read them whole
const BIG = ['payments', 'payment_codes', 'notifications', 'notification_attempts', 'sms_messages', 'phone_wrong_tries', 'idempotency_keys', 'wallets', 'postings'];

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };

function walk(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(node);
  for (const child of node.Plans ?? []) walk(child, out);
  return out;
}

/**
 * Every list and job query of the store, run for real on 200,000 rows per growing table, with its
 * SQL captured as knex sends it and EXPLAINed: the plan must use an index, never a sequential scan
 * of a growing table. The index table of docs/architecture.md is this test's output.
 */
describe('query plans on 200,000 rows', function () {
  this.timeout(180_000);
  let t: TestApp;
  let database: TestDatabase;
  let merchantId: MerchantId;
  let purse: string;
  let phone: string;
  const now = new Date('2026-12-01T12:00:00Z');

  before(async () => {
    t = await startTestApp();
    database = t.database;
    const merchant = await createTestMerchant(t);
    merchantId = merchant.id;
    purse = merchant.purse;
    phone = (await createBuyer(t)).phone;
    const db = database.db;
    await db.raw(`
      insert into payments (id, merchant_id, shop_id, payee_purse, currency, mode, amount, status, failure_reason, payment_no, source, create_key, phone,
        capture_mode, success_method, fail_method, created_at, updated_at, expires_at, link_token)
      select 'pay_' || lpad(to_hex(i), 24, '0'), ?, 'shp_' || substr(?, 5), ?, 'USD', 'live', 100 + i % 1000,
        (array['created', 'code_sent', 'failed', 'expired'])[1 + i % 4], case when i % 4 = 2 then 'cancelled' end,
        i, 'api', 'key-' || i, '7903' || lpad((i % 50000)::text, 7, '0'), 'automatic', 'GET', 'GET',
        ?::timestamptz - make_interval(secs => i * 10), ?::timestamptz - make_interval(secs => i * 10), ?::timestamptz - make_interval(secs => i * 10) + interval '30 minutes',
        lpad(to_hex(i), 10, '0')
      from generate_series(1, ${ROWS}) i`, [merchantId, merchantId, purse, now, now, now]);
    await db.raw(`
      insert into payment_codes (payment_id, seq, phone, mode, counter, sent_at, expires_at, status, delivery)
      select id, 1, phone, 'live', 1, created_at, created_at + interval '5 minutes', 'dead', 'sent' from payments where phone is not null`);
    await db.raw(`
      insert into notifications (id, merchant_id, payment_id, kind, url, content_type, body, status, next_attempt_at, created_at)
      select 'ntf_' || substr(id, 5), merchant_id, id, 'result', 'http://127.0.0.1:9/r', 'application/x-www-form-urlencoded', 'x',
        case when invoice_no % 100 = 0 then 'pending' else 'delivered' end, case when invoice_no % 100 = 0 then created_at end, created_at from payments`);
    await db.raw(`
      insert into notification_attempts (notification_id, attempted_at, status_code, latency_ms)
      select id, created_at, 200, 5 from notifications`);
    await db.raw(`
      insert into sms_messages (id, merchant_id, payment_id, mode, kind, phone, text_redacted, lang, status, created_at, updated_at)
      select 'sms_' || substr(id, 5), merchant_id, id, 'live', 'code', phone, 'x', 'en', 'sent', created_at, created_at from payments`);
    await db.raw(`
      insert into phone_wrong_tries (phone, mode, payment_id, at) select phone, 'live', id, created_at from payments where invoice_no % 10 = 0`);
    await db.raw(`
      insert into idempotency_keys (owner, key, fingerprint, state, created_at, locked_until, expires_at)
      select ?, 'k' || i, 'f', 'done', ?::timestamptz, ?::timestamptz, ?::timestamptz - make_interval(secs => i) from generate_series(1, ${ROWS}) i`, [merchantId, now, now, now]);
    // as many buyers' wallets, each with a posting: a money statement must find its wallets by purse, never by reading them all
    await db.raw(`
      insert into wallets (purse, holder_id, currency, kind, mode, phone, balance, created_at)
      select 'Z9' || lpad(i::text, 11, '0'), '9' || lpad(i::text, 11, '0'), 'USD', 'customer', 'live', '7905' || lpad(i::text, 7, '0'), 10000, ?::timestamptz from generate_series(1, ${ROWS}) i`, [now]);
    await db.raw(`insert into transfers (key, kind, currency, mode, created_at) select 'seed-' || i, 'seed', 'USD', 'live', ?::timestamptz from generate_series(1, ${ROWS}) i`, [now]);
    await db.raw(`insert into postings (transfer_id, purse, amount, balance_after, created_at)
      select t.id, l.purse, l.amount, l.amount, t.created_at from transfers t,
        lateral (values ('Z9' || lpad(substr(t.key, 6), 11, '0'), 10000), ((select purse from wallets where kind = 'system' and currency = 'USD' and mode = 'live' limit 1), -10000)) l (purse, amount)
      where t.kind = 'seed'`);
    // the test shop's alert log as long as the rest, one entry a second back from now
    await db.raw(`insert into alert_log (shop_id, at, what, kind, address)
      select (select id from shops limit 1), ?::timestamptz - i * interval '1 second', 'confirmation_sent', 'phone', '+7906' || lpad(i::text, 7, '0') from generate_series(1, ${ROWS}) i`, [now]);
    // the console's audit as long, of 50 operators: every hundredth row a sign-in
    await db.raw(`insert into users (id, email, role, password_hash, created_at, audience)
      select 'usr_plans' || i, 'ops' || i || '@example.com', 'support', 'x', ?::timestamptz, 'console' from generate_series(0, 49) i`, [now]);
    await db.raw(`insert into audit_log (user_id, email, action, at, audience)
      select 'usr_plans' || (i % 50), 'ops@example.com', case when i % 100 = 0 then 'sign_in' else 'payment.refunded' end, ?::timestamptz, 'console'
      from generate_series(1, ${ROWS}) i`, [now]);
    // a tenth of the payments carry the merchant's own order reference, as API metadata
    await db.raw(`update payments set metadata = jsonb_build_object('order_ref', 'ORD-' || payment_no) where payment_no % 10 = 0`);
    await db.raw('analyze');
  });
  after(async () => {
    await t?.close();
  });

  /** Runs a store call, captures each statement it sends, and returns the plans. */
  async function plansOf(call: (db: Db) => Promise<unknown>): Promise<PlanNode[][]> {
    const sent: { sql: string; bindings: unknown[] }[] = [];
    const listener = (q: { sql: string; bindings?: unknown[] }) => {
      if (!/^\s*(begin|commit|rollback|savepoint|release)/i.test(q.sql)) sent.push({ sql: q.sql, bindings: q.bindings ?? [] });
    };
    database.db.on('query', listener);
    try {
      await inTransaction(database.db, async (trx) => {
        await call(trx);
        throw new Error('roll back'); // job queries claim rows: nothing they do is kept
      }).catch((err: Error) => {
        if (err.message !== 'roll back') throw err;
      });
    } finally {
      database.db.removeListener('query', listener);
    }
    const plans: PlanNode[][] = [];
    for (const { sql, bindings } of sent) {
      const [row] = await query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(database.db, `explain (format json) ${sql.replace(/\$\d+/g, '?')}`, bindings as never[]);
      plans.push(walk(row!['QUERY PLAN'][0].Plan));
    }
    return plans;
  }

  /**
   * The plans of the statements a money statement's functions run inside PostgreSQL (issue 37), which EXPLAIN of the call cannot
   * show: auto_explain logs each nested plan, and client_min_messages sends the log to this connection. `setup` runs first, unlogged.
   */
  async function nestedPlansOf(sql: string, params: unknown[], setup = ''): Promise<PlanNode[][]> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const logged: string[] = [];
    client.on('notice', (n) => { if (n.message?.includes('plan:')) logged.push(n.message); });
    try {
      await client.query('begin');
      if (setup) await client.query(setup);
      await client.query(`load 'auto_explain'; set local auto_explain.log_min_duration = 0; set local auto_explain.log_nested_statements = on;
        set local auto_explain.log_format = json; set local client_min_messages = log`);
      await client.query(sql, params);
    } finally {
      await client.query('rollback');
      await client.end();
    }
    return logged.map((m) => walk((JSON.parse(m.slice(m.indexOf('{'))) as { Plan: PlanNode }).Plan));
  }

  const report: string[] = [];
  const cases: [string, (db: Db) => Promise<unknown>][] = [
    ['list payments, newest first', (db) => payments.listPayments(db, { merchantId, limit: 21 })],
    ['list payments by status', (db) => payments.listPayments(db, { merchantId, status: 'code_sent', limit: 21 })],
    ['list payments by phone', (db) => payments.listPayments(db, { merchantId, phone, limit: 21 })],
    ['list payments by order number', (db) => payments.listPayments(db, { merchantId, paymentNo: 4242n, limit: 21 })],
    ['list payments by creation dates, next page', (db) => payments.listPayments(db, { merchantId, createdFrom: new Date(now.getTime() - 86_400_000), createdTo: now, beforeInvoiceNo: 100_000n, limit: 21 })],
    // the office's search box (docs/merchant-guide.md#back-office): each kind of text it may be, alone and as it is sent (any of them)
    ['journal search: the phone\'s last 4 digits', (db) => payments.listPayments(db, { merchantId, search: { last4: '4242' }, limit: 21 })],
    ['journal search: an exact amount', (db) => payments.listPayments(db, { merchantId, search: { amount: 1208n }, limit: 21 })],
    ['journal search: a value of the merchant\'s own fields or metadata', (db) => payments.listPayments(db, { merchantId, search: { fieldValue: 'ORD-4240' }, limit: 21 })],
    ['journal search: "4242", any kind it may be', (db) => payments.listPayments(db, { merchantId, search: { number: 4242n, last4: '4242', fieldValue: '4242' }, limit: 21 })],
    // the operator console's search across merchants (docs/operator-guide.md#operator-console)
    ['console search across merchants: a number (invoice, order or phone)', (db) => payments.listPayments(db, { anyNumber: BigInt(phone), limit: 21 })],
    ['console search across merchants: a payment id', (db) => payments.listPayments(db, { id: 'pay_000000000000000000001092', limit: 21 })],
    ['open payment of an order number', (db) => payments.findLiveOrderPayment(db, purse, 4242n)],
    ['payment by Idempotency-Key', (db) => payments.findByCreateKey(db, merchantId, 'key-4242')],
    ['payment by pay-link token', (db) => payments.findPaymentByLinkToken(db, '0000001092')],
    ['expiry job: claim due open payments', (db) => payments.claimExpiredPayments(db, now, 100)],
    ['hold-expiry job: claim authorized payments', (db) => payments.claimExpiredAuthorizations(db, now, 100)],
    ['notification sweep: claim due rows', (db) => notifications.claimDue(db, now, 100, now, ['result', 'webhook', 'sms'])],
    ['notifications of a payment', (db) => notifications.listNotificationsOfPayment(db, 'pay_000000000000000000001092')],
    ['latest attempts of notifications', (db) => notifications.listAttempts(db, ['ntf_000000000000000000001092'], 20)],
    ['a page of attempts', (db) => notifications.listAttemptsPage(db, 'ntf_000000000000000000001092', undefined, 21)],
    ['test SMS of a phone', (db) => sms.listSmsOfPhoneForMerchant(db, merchantId, phone, 'live', 20)],
    ['refund SMS of a phone today', (db) => sms.countSmsSince(db, phone, 'live', 'refund', new Date(now.getTime() - 86_400_000))],
    ['purge of payment-less wrong tries (sign-in codes) past every window', (db) => signInCodes.deletePaymentlessWrongTriesBefore(db, new Date(now.getTime() - 2 * 86_400_000), 1000)],
    ['purge of /me sign-in codes past every window', (db) => signInCodes.deleteSentBefore(db, new Date(now.getTime() - 2 * 86_400_000), 1000)],
    ['purge of lapsed Idempotency-Keys', (db) => idempotency.purgeExpiredKeys(db, new Date(now.getTime() - (ROWS - 100) * 1000))],
    ['retention job: ended payments past the window, and their rows', (db) => retention.redactEndedPayments(db, new Date(now.getTime() - 730 * 86_400_000), now, 1000)],
    ['retention job: message texts past 30 days', (db) => retention.blankOldMessageTexts(db, new Date(now.getTime() - 30 * 86_400_000), 1000)],
    ['retention job: messages of no payment past the window', (db) => retention.maskOldPaymentlessMessages(db, new Date(now.getTime() - 730 * 86_400_000), 1000)],
    ['operators page: each operator\'s last sign-in', (db) => users.operatorSignInFacts(db)],
    ['retention job: the alert log past the window', (db) => retention.deleteOldAlertLog(db, new Date(now.getTime() - (ROWS - 100) * 1000), 1000)],
    // the console's wallet history, a page at a time (docs/operator-guide.md#operator-console)
    ['a wallet\'s latest movements', (db) => walletPostings.listEntriesOfPurse(db, 'Z900000001092', 51)],
    ['a wallet\'s movements older than a posting', (db) => walletPostings.listEntriesOfPurse(db, 'Z900000001092', 51, { before: 150_000n })],
    ['a wallet\'s movements newer than a posting', (db) => walletPostings.listEntriesOfPurse(db, 'Z900000001092', 51, { after: 1_000n })],
  ];

  // the money statements' functions (docs/architecture.md#money-statements), each statement inside them
  const paymentId = 'pay_000000000000000000001092';
  const functionCases: [string, () => Promise<PlanNode[][]>, number][] = [
    ['code limits of a phone (tp_send_verdict)', () => nestedPlansOf('select * from tp_send_verdict($1, $2, $3, $4, $5::jsonb, false)',
      [paymentId, phone, 'live', now, JSON.stringify({ per_payment: 3, per_phone_hour: 5, per_phone_day: 10 })]), 4],
    ['a wrong code and its counts (tp_check_code, in tp_confirm)', () => nestedPlansOf('select * from tp_check_code($1::jsonb, $2, $3)',
      [JSON.stringify({ client: 'key:k', hashes: { s: 'typed' }, shared_test_phone: false, limits: { per_code: 3, per_phone_day: 10, per_client_day: 5 } }), paymentId, now],
      `update payment_codes set status = 'live', code_hash = 'sent', secret_id = 's', expires_at = '${now.toISOString()}'::timestamptz + interval '1 hour' where payment_id = '${paymentId}'`), 6],
    ['a transfer between two of 200,000 wallets (tp_transfer)', () => nestedPlansOf(`select * from tp_transfer('plan-check', 'test', 'USD', 'live', $1, '{}', $2::jsonb)`,
      [now, JSON.stringify([{ purse: 'Z900000001092', amount: '-100' }, { purse: 'Z900000004242', amount: '100' }])]), 6],
    // a SQL function is planned inside its caller's statement: one plan
    ['the payer\'s wallet (tp_payer_wallet)', () => nestedPlansOf('select * from tp_payer_wallet($1, $2, $3)', ['79050001092', 'USD', 'live']), 1],
  ];
  for (const [name, plansOfCall, atLeast] of functionCases) {
    it(`${name}: uses an index for every statement inside`, async () => {
      const plans = await plansOfCall();
      assert.ok(plans.length >= atLeast, `auto_explain logged the statements inside (${plans.length} of at least ${atLeast})`);
      for (const nodes of plans) {
        const seq = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && BIG.includes(n['Relation Name'] ?? ''));
        assert.deepEqual(seq.map((n) => n['Relation Name']), [], `${name} reads a growing table whole`);
      }
      const indexes = [...new Set(plans.flat().map((n) => n['Index Name']).filter(Boolean))];
      report.push(`| ${name} | ${indexes.map((i) => `\`${i}\``).join(', ')} |`);
    });
  }

  // the office search's kinds each have their own index: the plan must use it, not merely avoid a sequential scan
  const EXPECTED: Record<string, string[]> = {
    'journal search: the phone\'s last 4 digits': ['payments_by_merchant_last4'],
    'journal search: an exact amount': ['payments_by_merchant_amount'],
    'a wallet\'s movements older than a posting': ['postings_by_purse'],
    'a wallet\'s movements newer than a posting': ['postings_by_purse'],
    'journal search: a value of the merchant\'s own fields or metadata': ['payments_by_field_values'],
    'journal search: "4242", any kind it may be': ['payments_by_merchant_last4', 'payments_by_field_values', 'payments_by_merchant_phone'],
  };

  for (const [name, call] of cases) {
    it(`${name}: uses an index`, async () => {
      const plans = await plansOf(call);
      assert.ok(plans.length > 0, 'the call sent a statement');
      for (const nodes of plans) {
        const seq = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && BIG.includes(n['Relation Name'] ?? ''));
        assert.deepEqual(seq.map((n) => n['Relation Name']), [], `${name} reads a growing table whole`);
      }
      const indexes = [...new Set(plans.flat().map((n) => n['Index Name']).filter(Boolean))];
      for (const needed of EXPECTED[name] ?? []) assert.ok(indexes.includes(needed), `${name} uses ${needed} (it used ${indexes.join(', ')})`);
      report.push(`| ${name} | ${indexes.map((i) => `\`${i}\``).join(', ')} |`);
    });
  }

  after(() => {
    console.log(`\n    Indexes used on ${ROWS} rows:\n    | query | index |\n    |---|---|\n${report.map((l) => `    ${l}`).join('\n')}\n`);
  });
});
