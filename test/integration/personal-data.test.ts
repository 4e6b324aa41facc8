import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useTestApp, type TestApp } from '../helpers/test-app.js';
import { api, createBuyer, createTestMerchant, lastCode, type TestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, payNow, walletOf } from '../helpers/payments.js';
import { query, type Db } from '../../lib/postgres/db.js';
import { SECRET_COLUMN } from '../../lib/domain/personal-data.js';
import { TRACES } from '../../lib/store/phone-traces.js';
import { applyRetention } from '../../lib/use-cases/buyers/apply-retention.js';
import { DAY_MS } from '../../lib/domain/time.js';
import type { Phone } from '../../lib/domain/phone.js';
import type { ShopId } from '../../lib/domain/ids.js';
import { insertAlertLog, listAlertLog } from '../../lib/store/alert-log.js';
import { uniquePhone } from '../helpers/builders.js';
import { consoleUser } from '../helpers/console.js';
import { onceOf } from '../helpers/office.js';
import { sendSignInCode } from '../../lib/use-cases/buyers/send-sign-in-code.js';
import { signInByCode } from '../../lib/use-cases/buyers/sign-in-by-code.js';

const run = promisify(execFile);

type Hit = { table: string; column: string; row: Record<string, unknown> };

/**
 * Every row of every table whose text, JSON or text-array columns hold the phone's digits (bare, +E.164 or typed with separators),
 * read from the catalog: not a hand-picked list, so a table added later is searched too.
 */
async function rowsHolding(db: Db, digits: string): Promise<Hit[]> {
  const columns = await query<{ table: string; column: string }>(db,
    `select c.table_name as table, c.column_name as column from information_schema.columns c
     join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema = current_schema() and (c.data_type in ('text', 'character varying', 'json', 'jsonb') or c.udt_name in ('_text', '_varchar'))`);
  const hits: Hit[] = [];
  for (const { table, column } of columns) {
    // its digits with anything but a digit or a mask's star between them, "+7 (903) 123-45-67" too, and form-encoded (%28 is "("),
    // and a Russian number's ten digits without the country code (as in "8 903 123 45 67")
    const rows = await query<{ row: Record<string, unknown> }>(db,
      `select to_jsonb(x) as row from "${table}" x where regexp_replace(regexp_replace("${column}"::text, '%[0-9A-Fa-f]{2}', '', 'g'), '[^0-9*]', '', 'g') like any(?)`,
      [[`%${digits}%`, ...(digits.startsWith('7') ? [`%${digits.slice(1)}%`] : [])]]);
    hits.push(...rows.map(({ row }) => ({ table, column, row })));
  }
  return hits;
}

/** The primary key columns of every table. */
async function primaryKeys(db: Db): Promise<Map<string, string[]>> {
  const rows = await query<{ table: string; column: string }>(db,
    `select k.table_name as table, k.column_name as column from information_schema.table_constraints c
     join information_schema.key_column_usage k on k.constraint_name = c.constraint_name and k.table_schema = c.table_schema
     where c.constraint_type = 'PRIMARY KEY' and c.table_schema = current_schema() order by k.ordinal_position`);
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.table, [...(map.get(r.table) ?? []), r.column]);
  return map;
}

function masked(digits: string): string {
  return `+${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

async function erase(t: TestApp, phone: string, status = 200) {
  return t.admin('post', `/admin/v1/phones/%2B${phone}/erase`).expect(status);
}

describe('personal data: erasure and export of a phone', function () {
  this.timeout(60_000);
  const t = useTestApp();
  let merchant: TestMerchant;
  let buyer: Awaited<ReturnType<typeof createBuyer>>;
  let first: string;
  let userId: string;
  let other: Awaited<ReturnType<typeof createBuyer>>;
  let mention: string;
  let nationalMention: string;

  before(async () => {
    merchant = await createTestMerchant(t);
    buyer = await createBuyer(t, '20.00', { mode: merchant.mode });
    const client = api(t, merchant);
    // its phone in the merchant's own fields too, and an idempotent create whose stored answer names it
    first = (await payNow(t, merchant, '10.00', { description: `Call +${buyer.phone}`, metadata: { contact: buyer.phone } }, { buyer })).payment.id;
    await payNow(t, merchant, '10.00', {}, { buyer });
    // another buyer's payment whose merchant typed this phone, with spaces and brackets, into its own fields
    other = await createBuyer(t, '20.00', { mode: merchant.mode });
    const d = buyer.phone;
    const typed = `+${d[0]} (${d.slice(1, 4)}) ${d.slice(4, 7)}-${d.slice(7, 9)}-${d.slice(9)}`;
    mention = (await payNow(t, merchant, '3.00', { description: `Gift, call ${typed} at the door`, metadata: { courier_note: `ring ${typed}` } }, { buyer: other })).payment.id;
    // and in its national form, with the trunk prefix 8 (a Russian number as Russians write it)
    nationalMention = (await payNow(t, merchant, '2.00', { description: `Courier: 8 ${d.slice(1, 4)} ${d.slice(4, 7)} ${d.slice(7, 9)} ${d.slice(9)}` }, { buyer: other })).payment.id;
    const open = await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }, { 'Idempotency-Key': 'erase-me-1' }).expect(201);
    const wrong = lastCode(t, buyer.phone) === '0000' ? '1111' : '0000';
    await client.post(`/payments/${open.body.id}/confirm`, { code: wrong }).expect(422);
    await client.post(`/payments/${first}/refunds`, { amount: '5.00' }).expect(201);
    // the phone is also an alert recipient of the shop (a confirmation SMS went to it) and its support number
    const shop = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`).expect(200)).body.shop_id as string;
    await client.patch(`/shops/${shop}`, { alerts: { emails: [], phones: [`+${buyer.phone}`], events: ['payment.failed'] } }).expect(200);
    await query(t.database.db, `update shops set brand_support_phone = ? where id = ?`, [buyer.phone, shop]);
    await t.admin('post', `/admin/v1/limits/phones/%2B${buyer.phone}/lift`).expect(200);
    // signed in to /me, with a passkey (its WebAuthn ceremony is tested elsewhere: the row is what erasure deletes)
    await sendSignInCode(t.app.deps, { phone: buyer.phone, client: '203.0.113.9', lang: 'en' });
    const signed = await signInByCode(t.app.deps, { phone: buyer.phone, code: lastCode(t, buyer.phone), client: '203.0.113.9', ip: '203.0.113.9' });
    userId = signed.user.id;
    await query(t.database.db, `insert into passkeys (user_id, credential_id, public_key, created_at) values (?, 'cred-erase-me', '\\x00'::bytea, ?)`, [userId, t.clock.now()]);
    await t.app.notifier.idle();
  });

  it('is refused with 409 wallet_not_empty while a linked wallet holds money, and changes nothing', async () => {
    const before = await rowsHolding(t.database.db, buyer.phone);
    const refused = await erase(t, buyer.phone, 409);
    assert.equal(refused.body.code, 'wallet_not_empty');
    assert.equal(refused.body.purse, buyer.purse);
    assert.match(refused.body.detail, /5\.00/);
    assert.equal((await rowsHolding(t.database.db, buyer.phone)).length, before.length);
  });

  it('exports every row that holds the phone, found by a scan of every text and JSON column', async () => {
    await payNow(t, merchant, '5.00', {}, { buyer, notified: true }); // the wallet is empty now
    const exported = (await t.admin('get', `/admin/v1/phones/%2B${buyer.phone}/export`).expect(200)).body;
    assert.equal(exported.phone, `+${buyer.phone}`);
    assert.deepEqual(exported.wallets.map((w: { purse: string }) => w.purse), [buyer.purse]);
    assert.equal(exported.payments.length, 4);
    assert.ok(exported.history.length >= 5, 'top-up, three payments and a refund');
    assert.deepEqual(exported.passkeys.map((p: { credential_id: string }) => p.credential_id), ['cred-erase-me']);
    assert.equal(exported.sessions.length, 1);
    assert.ok(exported.messages.length >= 4 && exported.messages.every((m: { text?: string }) => typeof m.text === 'string'));
    const hits = await rowsHolding(t.database.db, buyer.phone);
    assert.ok(new Set(hits.map((h) => h.table)).size >= 6, `the scan finds the phone in many tables: ${[...new Set(hits.map((h) => h.table))]}`);
    const keys = await primaryKeys(t.database.db);
    // a row is in the export when a row there has its primary key (its every field, without one) and the column that names the phone
    // (a table with two traces, such as another person's payment that mentions the phone, is exported under each trace's name)
    const missing = hits.filter((h) => !TRACES.filter((x) => x.table === h.table).some((trace) => {
      const shown = (exported.records[trace.as ?? h.table] ?? []) as Record<string, unknown>[];
      const same = (e: Record<string, unknown>, k: string) => JSON.stringify(e[k]) === JSON.stringify(h.row[k]);
      const left = trace.hide?.includes(h.column) || (trace.show !== undefined && !trace.show.includes(h.column));
      const match = (e: Record<string, unknown>) => keys.has(h.table)
        ? keys.get(h.table)!.every((k) => same(e, k)) && (!(h.column in e) || same(e, h.column)) && (h.column in e || left)
        : Object.keys(e).length > 0 && Object.keys(e).every((k) => same(e, k));
      return shown.some(match);
    }));
    assert.deepEqual(missing.map((h) => `${h.table}.${h.column}`), [], 'rows that hold the phone but are not in the export');
    const exportedColumns = Object.values(exported.records as Record<string, Record<string, unknown>[]>).flatMap((rows) => rows.flatMap((r) => Object.keys(r)));
    assert.deepEqual(exportedColumns.filter((k) => SECRET_COLUMN.test(k)), [], 'no secret column is exported');
    // the other buyer's payment is there for its mention only: none of its other fields, and not the other buyer's phone
    assert.ok(exported.records.payments_mentioning.every((p: Record<string, unknown>) => Object.keys(p).sort().join() === 'custom_fields,description,id,metadata'));
    assert.deepEqual(exported.records.payments_mentioning.map((p: { id: string }) => p.id).sort(), [mention, nationalMention].sort());
    assert.ok(exported.records.notifications_mentioning.length >= 1 && exported.records.notifications_mentioning.every((n: Record<string, unknown>) => !('body' in n)));
    assert.ok(!JSON.stringify(exported).includes(other.phone), 'the other buyer\'s phone is not in the export');
  });

  it('leaves no full phone in any text or JSON column of any table; merchants still see their payments, masked', async () => {
    const done = (await erase(t, buyer.phone)).body;
    assert.equal(done.phone, masked(buyer.phone));
    assert.ok(done.rows.payments >= 4 && done.rows.wallets === 1, JSON.stringify(done.rows));
    const left = await rowsHolding(t.database.db, buyer.phone);
    assert.deepEqual(left.map((h) => `${h.table}.${h.column}`), []);
    const shop = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`).expect(200)).body.shop_id as string;
    const alerts = await query<{ alerts: { phones: string[] }; support: string | null }>(t.database.db, `select alerts, brand_support_phone as support from shops where id = ?`, [shop]);
    assert.deepEqual([alerts[0]!.alerts.phones, alerts[0]!.support], [[], null], 'the shop no longer alerts or names the phone');
    for (const table of ['passkeys', 'sessions', 'users']) {
      const rows = await query(t.database.db, `select 1 from ${table} where ${table === 'users' ? 'id' : 'user_id'} = ?`, [userId]);
      assert.equal(rows.length, 0, `its /me ${table} are deleted`);
    }
    const seen = (await api(t, merchant).get(`/payments/${first}`).expect(200)).body;
    assert.equal(seen.phone, masked(buyer.phone));
    assert.equal(seen.amount, '10.00');
    assert.equal(seen.amount_refunded, '5.00');
    assert.equal(seen.description, 'Call +' + masked(buyer.phone).slice(1));
    const mentioned = (await api(t, merchant).get(`/payments/${mention}`).expect(200)).body;
    assert.deepEqual([mentioned.description, mentioned.metadata], [`Gift, call +${masked(buyer.phone).slice(1)} at the door`, { courier_note: `ring +${masked(buyer.phone).slice(1)}` }]);
    assert.equal(mentioned.phone, `+${other.phone}`, 'the other buyer\'s own phone is kept');
    assert.equal((await api(t, merchant).get(`/payments/${nationalMention}`).expect(200)).body.description, `Courier: ${masked(buyer.phone).slice(1)}`);
    await assertLedgerClean(t, 'after erasure');
  });

  it('is idempotent, and its audit entry names the operator, not the phone', async () => {
    const again = (await erase(t, buyer.phone)).body;
    assert.deepEqual(Object.values(again.rows).filter((n) => n !== 0), []);
    const audit = await query<{ email: string }>(t.database.db, `select email from audit_log where action = 'phone.erased' order by id`);
    assert.deepEqual(audit.map((a) => a.email), ['admin-api', 'admin-api']);
  });

  it('the CLI erases too (phones:erase), and names its operator in the audit', async () => {
    const phone = uniquePhone();
    const other = { phone, purse: (await t.admin('post', '/admin/v1/wallets').send({ currency: 'USD', mode: merchant.mode, phone: `+${phone}` }).expect(201)).body.purse as string };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'phones:erase', `+${other.phone}`],
      { env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: t.database.url } });
    assert.deepEqual(JSON.parse(stdout), { phone: masked(other.phone), erased: true, rows: JSON.parse(stdout).rows });
    assert.equal(JSON.parse(stdout).rows.wallets, 1);
    assert.equal((await walletOf(t, other.purse)).phone, null);
    assert.equal((await rowsHolding(t.database.db, other.phone)).length, 0);
    const audit = await query<{ email: string }>(t.database.db, `select email from audit_log where action = 'phone.erased' order by id desc limit 1`);
    assert.match(audit[0]!.email, /^cli:/);
  });

  it('the console erases too, for admins only; a wallet with money is refused beside the form', async () => {
    const support = await consoleUser(t, 'support');
    await support.agent.get('/console/erase').expect(403);
    const admin = await consoleUser(t, 'admin');
    const post = async (phone: string) => {
      const page = await admin.agent.get('/console/erase').expect(200);
      return admin.agent.post('/console/erase').type('form').send({ _csrf: admin.csrf, _once: onceOf(page.text, '/console/erase'), phone, confirmed: '1' });
    };
    const rich = await createBuyer(t, '3.00', { mode: merchant.mode });
    const refused = await post(`+${rich.phone}`);
    assert.equal(refused.status, 409);
    assert.ok(refused.text.includes(rich.purse), 'the refusal names the wallet');
    const phone = uniquePhone();
    await t.admin('post', '/admin/v1/wallets').send({ currency: 'USD', mode: merchant.mode, phone: `+${phone}` }).expect(201);
    const done = await post(`+${phone}`);
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, `/console/erase?done=${encodeURIComponent(masked(phone))}`);
    assert.ok((await admin.agent.get(done.headers.location).expect(200)).text.includes(masked(phone)));
    assert.equal((await rowsHolding(t.database.db, phone)).length, 0);
    const audit = await query<{ email: string; audience: string }>(t.database.db, `select email, audience from audit_log where action = 'phone.erased' order by id desc limit 1`);
    assert.deepEqual(audit[0], { email: admin.email, audience: 'console' });
  });

  it('a new wallet for the same number starts empty and sees no old history', async () => {
    const created = await t.admin('post', '/admin/v1/wallets').send({ currency: 'USD', mode: merchant.mode, phone: `+${buyer.phone}` }).expect(201);
    assert.notEqual(created.body.purse, buyer.purse);
    assert.equal(created.body.balance, '0.00');
    assert.equal((await walletOf(t, buyer.purse)).balance, '0.00');
    const exported = (await t.admin('get', `/admin/v1/phones/%2B${buyer.phone}/export`).expect(200)).body;
    assert.deepEqual(exported.wallets.map((w: { purse: string }) => w.purse), [created.body.purse]);
    assert.deepEqual([exported.history, exported.payments, exported.passkeys, exported.sessions, exported.messages], [[], [], [], [], []]);
    assert.deepEqual(Object.keys(exported.records), ['wallets']);
  });
});

describe('personal data: retention', function () {
  this.timeout(60_000);
  const t = useTestApp();
  const ids = { a: '', b: '', c: '', d: '', open: '' };
  const signIn = { old: '' as Phone, kept: '' as Phone };
  let merchant: TestMerchant;
  let shopId: ShopId;
  const alertPhones = { old: uniquePhone(), kept: uniquePhone() };
  // an alert recipient's confirmation SMS, as the alert log records it (lib/use-cases/alerts)
  const logAlert = (address: Phone) => insertAlertLog(t.database.db, { shopId, at: t.clock.now(), what: 'confirmation_sent', kind: 'phone', address, eventType: null, reason: null, notificationId: null });

  async function textOf(paymentId: string): Promise<string[]> {
    return (await query<{ text: string }>(t.database.db, `select text_redacted as text from sms_messages where payment_id = ? order by seq`, [paymentId])).map((r) => r.text);
  }

  before(async () => {
    merchant = await createTestMerchant(t);
    const client = api(t, merchant);
    // A ends 730 days and 1 s before "now", B 1 s inside the window; six more ended ones, and one still open
    ids.a = (await payNow(t, merchant, '10.00', { description: 'Blue socks', metadata: { order_ref: 'A-1' } })).payment.id;
    // a message of no payment (a /me sign-in code) as old as A, and one as old as B
    signIn.old = uniquePhone();
    await sendSignInCode(t.app.deps, { phone: signIn.old, client: '203.0.113.10', lang: 'en' });
    shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id;
    await logAlert(alertPhones.old);
    await client.post(`/payments/${ids.a}/refunds`, { amount: '1.00' }).expect(201);
    for (let i = 0; i < 6; i++) await client.post(`/payments/${(await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', description: `Old ${i}` }).expect(201)).body.id}/cancel`).expect(200);
    ids.open = (await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: (await createBuyer(t)).phone, description: 'Still open' }).expect(201)).body.id;
    t.clock.advance(2000);
    ids.b = (await payNow(t, merchant, '10.00', { description: 'Red socks', metadata: { order_ref: 'B-1' } })).payment.id;
    signIn.kept = uniquePhone();
    await sendSignInCode(t.app.deps, { phone: signIn.kept, client: '203.0.113.10', lang: 'en' });
    await logAlert(alertPhones.kept);
    // messages: C sent 30 days and 1 s before "now", D 1 s inside
    t.clock.advance(700 * DAY_MS - 2000);
    ids.c = (await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: (await createBuyer(t)).phone }).expect(201)).body.id;
    t.clock.advance(2000);
    ids.d = (await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: (await createBuyer(t)).phone }).expect(201)).body.id;
    t.clock.advance(30 * DAY_MS - 1000);
    await t.app.notifier.idle();
  });

  it('masks exactly the payments that ended before the window, and their rows; deletes message texts past 30 days', async () => {
    // two instances at once, small batches: every payment is done once
    const runs = await Promise.all([applyRetention(t.app.deps, { batch: 2 }), applyRetention(t.app.deps, { batch: 2 })]);
    assert.equal(runs[0]!.payments + runs[1]!.payments, 7);
    assert.equal(runs[0]!.messages + runs[1]!.messages, 1);
    assert.equal(runs[0]!.alerts + runs[1]!.alerts, 1);
    assert.deepEqual((await listAlertLog(t.database.db, shopId, 10)).map((e) => e.address), [alertPhones.kept], 'the alert log keeps what is inside the window');
    const signInPhones = await query<{ phone: string }>(t.database.db, `select phone from sms_messages where payment_id is null and kind = 'sign_in' order by seq`);
    assert.deepEqual(signInPhones.map((r) => r.phone), [masked(signIn.old).slice(1), signIn.kept]);
    const client = api(t, merchant);
    const a = (await client.get(`/payments/${ids.a}`).expect(200)).body;
    const b = (await client.get(`/payments/${ids.b}`).expect(200)).body;
    const open = (await client.get(`/payments/${ids.open}`).expect(200)).body;
    assert.match(a.phone, /^\+\*{9}\d{2}$/);
    assert.deepEqual([a.amount, a.amount_refunded, a.description, a.metadata], ['10.00', '1.00', '', {}]);
    assert.match(b.phone, /^\+7903\d{7}$/);
    assert.deepEqual([b.description, b.metadata], ['Red socks', { order_ref: 'B-1' }]);
    assert.deepEqual([open.description, open.status], ['Still open', 'code_sent']);
    const refundPhones = await query<{ phone: string }>(t.database.db, `select phone from refunds where payment_id = ?`, [ids.a]);
    assert.match(refundPhones[0]!.phone, /^\*{9}\d{2}$/);
    assert.deepEqual(await textOf(ids.c), ['']);
    assert.notEqual((await textOf(ids.d))[0], '');
    assert.ok((await textOf(ids.b)).every((text) => text === ''), 'B is kept, but its message texts are older than 30 days');
    assert.equal((await query(t.database.db, `select 1 from sms_messages where payment_id = ?`, [ids.c])).length, 1, 'the message row stays: limits count it');
    await assertLedgerClean(t, 'after retention');
  });

  it('is idempotent: a second run finds nothing', async () => {
    assert.deepEqual(await applyRetention(t.app.deps), { payments: 0, messages: 0, alerts: 0, texts: 0 });
  });

  it('one day later, B has left the window too', async () => {
    t.clock.advance(DAY_MS);
    const run = await applyRetention(t.app.deps);
    assert.equal(run.payments, 1);
    assert.equal(run.alerts, 1);
    assert.deepEqual(await listAlertLog(t.database.db, shopId, 10), []);
    assert.match((await api(t, merchant).get(`/payments/${ids.b}`).expect(200)).body.phone, /^\+\*{9}\d{2}$/);
  });
});
