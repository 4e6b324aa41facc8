import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api, type TestMerchant } from '../helpers/merchant.js';
import { RecordingGateway } from '../helpers/recording-gateway.js';
import { rememberCode } from '../helpers/log-capture.js';
import { query } from '../../lib/postgres/db.js';
import { expireDuePayments } from '../../lib/use-cases/payments/expire-payments.js';

const other = (code: string) => String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');

describe('SMS codes and their limits', () => {
  const live = new RecordingGateway('live-fake');
  // the phone's daily cap set to 10 here (30 by default: test/integration/abuse-limits.test.ts), one client allowed all of them
  const t = useTestApp({ smsGateway: live, config: { codes: { maxWrongTriesPerPhonePerDay: 10 }, limits: { wrongTriesPerPhonePerClientPerDay: 100 } } });
  let merchant: TestMerchant;
  const newPayment = async (phone: string, amount = '1') =>
    (await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount, phone }).expect(201)).body.id as string;
  const codeFor = (phone: string) => {
    const text = live.to(phone).at(-1)?.text ?? '';
    const code = /#(\d+)$/.exec(text)?.[1];
    if (!code) throw new Error('no code sent');
    rememberCode(code);
    return code;
  };

  before(async () => {
    merchant = await createTestMerchant(t);
  });

  it('sends exactly the SMS of docs/merchant-guide.md#codes-and-sms through the gateway', async () => {
    const buyer = await createBuyer(t);
    await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '12.08', phone: buyer.phone }).expect(201);
    const [sms] = live.to(buyer.phone);
    const code = codeFor(buyer.phone);
    assert.equal(sms!.text, `${code} is your code to pay 12.08 USD to Test Shop. Do not share it.\n\n@pay.test #${code}`);
    assert.match(sms!.reference, /^sms_/);
  });

  it('answers code_invalid with the tries left, then fails the payment with too_many_attempts', async () => {
    const buyer = await createBuyer(t);
    const id = await newPayment(buyer.phone);
    const wrong = other(codeFor(buyer.phone));
    const client = api(t, merchant);
    const first = await client.post(`/payments/${id}/confirm`, { code: wrong }).expect(422);
    assert.deepEqual([first.body.code, first.body.tries_left], ['code_invalid', 2]);
    const second = await client.post(`/payments/${id}/confirm`, { code: wrong }).expect(422);
    assert.equal(second.body.tries_left, 1);
    const third = await client.post(`/payments/${id}/confirm`, { code: wrong });
    assert.equal(third.status, 429, JSON.stringify(third.body));
    assert.equal(third.body.code, 'too_many_attempts');
    const after = await client.get(`/payments/${id}`).expect(200);
    assert.deepEqual([after.body.status, after.body.failure_reason], ['failed', 'too_many_attempts']);
    await client.post(`/payments/${id}/confirm`, { code: codeFor(buyer.phone) }).expect(409);
  });

  it('kills the old code when a new one is sent', async () => {
    const buyer = await createBuyer(t);
    const id = await newPayment(buyer.phone);
    const old = codeFor(buyer.phone);
    const early = await api(t, merchant).post(`/payments/${id}/resend`).expect(429);
    assert.deepEqual([early.body.code, early.body.retry_after, early.headers['retry-after']], ['rate_limited', 30, '30'], 'the server keeps the 30 s cooldown the page shows');
    t.clock.advanceSeconds(30);
    const resent = await api(t, merchant).post(`/payments/${id}/resend`).expect(200);
    assert.equal(resent.body.codes_left, 1);
    const fresh = codeFor(buyer.phone);
    if (fresh !== old) {
      const res = await api(t, merchant).post(`/payments/${id}/confirm`, { code: old }).expect(422);
      assert.equal(res.body.code, 'code_invalid');
    }
    await api(t, merchant).post(`/payments/${id}/confirm`, { code: fresh }).expect(200);
  });

  it('refuses an expired code (5 minutes) without failing the payment, and a resend brings a usable one', async () => {
    const buyer = await createBuyer(t);
    const id = await newPayment(buyer.phone);
    const code = codeFor(buyer.phone);
    t.clock.advanceSeconds(301);
    const res = await api(t, merchant).post(`/payments/${id}/confirm`, { code }).expect(422);
    assert.equal(res.body.code, 'code_expired');
    await api(t, merchant).post(`/payments/${id}/resend`).expect(200);
    await api(t, merchant).post(`/payments/${id}/confirm`, { code: codeFor(buyer.phone) }).expect(200);
  });

  it('refuses a used code, and a code of payment A on payment B', async () => {
    const buyer = await createBuyer(t);
    const a = await newPayment(buyer.phone);
    const codeA = codeFor(buyer.phone);
    const b = await newPayment(buyer.phone);
    const codeB = codeFor(buyer.phone);
    if (codeA !== codeB) {
      const cross = await api(t, merchant).post(`/payments/${b}/confirm`, { code: codeA }).expect(422);
      assert.equal(cross.body.code, 'code_invalid');
    }
    await api(t, merchant).post(`/payments/${a}/confirm`, { code: codeA }).expect(200);
    // the same code again gets the paid payment back (a retry), not a second debit
    const retried = await api(t, merchant).post(`/payments/${a}/confirm`, { code: codeA }).expect(200);
    assert.equal(retried.body.status, 'succeeded');
    const reused = await api(t, merchant).post(`/payments/${a}/confirm`, { code: other(codeA) }).expect(409);
    assert.equal(reused.body.code, 'invalid_state');
    const [debits] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from postings where purse = ? and amount < 0`, [buyer.purse]);
    assert.equal(debits!.n, 1);
  });

  it('sends at most 3 codes per payment', async () => {
    const buyer = await createBuyer(t);
    const id = await newPayment(buyer.phone);
    for (let i = 0; i < 2; i++) {
      t.clock.advanceSeconds(30);
      await api(t, merchant).post(`/payments/${id}/resend`).expect(200);
    }
    t.clock.advanceSeconds(30);
    const fourth = await api(t, merchant).post(`/payments/${id}/resend`).expect(429);
    assert.equal(fourth.body.code, 'too_many_attempts');
    assert.equal(live.to(buyer.phone).length, 3);
    await api(t, merchant).post(`/payments/${id}/confirm`, { code: codeFor(buyer.phone) }).expect(200);
  });

  it('sends at most 5 codes per phone per hour, across payments, and says how long to wait', async () => {
    const buyer = await createBuyer(t, '100.00');
    for (let i = 0; i < 5; i++) {
      await newPayment(buyer.phone);
      t.clock.advanceSeconds(60);
    }
    const id = (await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1' }).expect(201)).body.id;
    const refused = await api(t, merchant).post(`/payments/${id}/phone`, { phone: buyer.phone }).expect(429);
    assert.equal(refused.body.code, 'rate_limited');
    assert.equal(refused.headers['retry-after'], String(3600 - 5 * 60));
    assert.equal(refused.body.retry_after, 3600 - 5 * 60);
    assert.equal(live.to(buyer.phone).length, 5);
    t.clock.advanceSeconds(3600 - 5 * 60);
    await newPayment(buyer.phone);
  });

  it('locks a phone after WRONG_TRIES_PER_PHONE_PER_DAY (10 here) wrong tries in 24 hours, across payments', async () => {
    const buyer = await createBuyer(t, '100.00');
    const client = api(t, merchant);
    let wrongTries = 0;
    while (wrongTries < 10) {
      const id = await newPayment(buyer.phone);
      const wrong = other(codeFor(buyer.phone));
      for (let i = 0; i < 3 && wrongTries < 10; i++, wrongTries++) {
        const res = await client.post(`/payments/${id}/confirm`, { code: wrong });
        assert.ok([422, 429].includes(res.status));
      }
      t.clock.advanceSeconds(15 * 60); // stay under the hourly send limit
    }
    const id = (await client.post('/payments', { payee_purse: merchant.purse, amount: '1' }).expect(201)).body.id;
    const refused = await client.post(`/payments/${id}/phone`, { phone: buyer.phone }).expect(429);
    assert.equal(refused.body.code, 'rate_limited');
    assert.ok(Number(refused.headers['retry-after']) > 20 * 3600);
  });

  it('keeps no live code in the database: a dump alone does not reveal it', async () => {
    const buyer = await createBuyer(t);
    const id = await newPayment(buyer.phone);
    const code = codeFor(buyer.phone);
    const tables = ['payments', 'payment_codes', 'sms_messages', 'notifications', 'idempotency_keys'];
    for (const table of tables) {
      const rows = await query(t.database.db, `select * from ${table} where ${table === 'payments' ? 'id' : table === 'idempotency_keys' ? "'x'" : 'payment_id'} = ?`, [table === 'idempotency_keys' ? 'x' : id]);
      const dump = JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
      assert.ok(!dump.includes(`${code} is your code`) && !dump.includes(`#${code}`) && !dump.includes(`"${code}"`), `${table} reveals the code`);
    }
    const [sms] = await query<{ text_redacted: string }>(t.database.db, 'select text_redacted from sms_messages where payment_id = ?', [id]);
    assert.match(sms!.text_redacted, /^•••• is your code to pay/);
  });

  it('does not count a send the gateway refused, and says "try again"', async () => {
    const buyer = await createBuyer(t);
    live.failNext = 1;
    const id = (await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1' }).expect(201)).body.id;
    const failed = await api(t, merchant).post(`/payments/${id}/phone`, { phone: buyer.phone }).expect(502);
    assert.equal(failed.body.code, 'sms_send_failed');
    const ok = await api(t, merchant).post(`/payments/${id}/phone`, { phone: buyer.phone }).expect(200);
    assert.equal(ok.body.codes_left, 2, 'the failed send did not count');
    const sms = await query<{ status: string }>(t.database.db, `select status from sms_messages where payment_id = ? order by status`, [id]);
    assert.deepEqual(sms.map((s) => s.status), ['failed', 'sent']);
  });

  it('expires open payments after 30 minutes (the job is safe to run twice at once)', async () => {
    const buyer = await createBuyer(t);
    const id = await newPayment(buyer.phone);
    const code = codeFor(buyer.phone);
    const announced = await createTestMerchant(t, { webhook_url: 'http://127.0.0.1:9/hooks' });
    const others = await Promise.all(Array.from({ length: 6 }, () => api(t, announced).post('/payments', { payee_purse: announced.purse, amount: '1' }).expect(201)));
    t.clock.advanceSeconds(30 * 60 + 1);
    const [due] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from payments where status in ('created', 'code_sent') and expires_at <= ?`, [t.clock.now()]);
    const counts = await Promise.all([expireDuePayments(t.app.deps), expireDuePayments(t.app.deps)]);
    assert.equal(counts[0]! + counts[1]!, due!.n, 'every due payment expired by exactly one of the two runs');
    assert.ok(due!.n >= 7);
    const [row] = await query<{ status: string }>(t.database.db, 'select status from payments where id = ?', [id]);
    assert.equal(row!.status, 'expired');
    const events = await query<{ payment_id: string; n: number }>(
      t.database.db, `select payment_id, count(*)::int as n from notifications where event_type = 'payment.failed' and payment_id = any(?) group by payment_id`, [others.map((o) => o.body.id)],
    );
    assert.deepEqual(events.map((e) => e.n), [1, 1, 1, 1, 1, 1], 'one payment.failed per expired payment, not two');
    const late = await api(t, merchant).post(`/payments/${id}/confirm`, { code }).expect(409);
    assert.deepEqual([late.body.code, late.body.payment_status], ['invalid_state', 'expired']);
  });

  it('test payments never reach the live gateway', async () => {
    const testMerchant = await createTestMerchant(t, { mode: 'test' });
    const buyer = await createBuyer(t, '10.00', { mode: 'test' });
    await api(t, testMerchant).post('/payments', { payee_purse: testMerchant.purse, amount: '1', phone: buyer.phone }).expect(201);
    assert.equal(live.to(buyer.phone).length, 0);
    assert.equal(t.app.sms.devInbox.inbox(`+${buyer.phone}`).length, 1);
    lastCode(t, buyer.phone);
  });
});
