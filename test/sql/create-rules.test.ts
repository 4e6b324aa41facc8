import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { api, createBuyer, createTestMerchant } from '../helpers/merchant.js';
import { uniquePhone } from '../helpers/builders.js';
import { query } from '../../lib/postgres/db.js';
import { sendLimitsJson } from '../../lib/use-cases/payments/issue-code.js';

type Verdict = { verdict: string; retry_after: number | null; codes_of_payment: number };

/**
 * Issue 37: the send limits (tp_send_verdict), the payer's wallet rule (tp_payer_wallet) and a create with a phone (tp_create,
 * migrations/20261208100200_create_statement.ts) decide in PostgreSQL only; each decision is tested here against it.
 */
describe('create and send-limit rules in PostgreSQL (tp_create, tp_send_verdict, tp_payer_wallet)', () => {
  const t = useTestApp();
  const limits = { per_payment: 3, per_phone_hour: 5, per_phone_day: 10 };
  const verdict = async (phone: string, paymentId: string | null = null, shared = false) => (await query<Verdict>(t.database.db,
    'select * from tp_send_verdict(?, ?, ?, ?, ?::jsonb, ?)', [paymentId, phone, 'live', t.clock.now(), JSON.stringify(limits), shared]))[0]!;
  const ago = (seconds: number) => new Date(t.clock.now().getTime() - seconds * 1000);
  const sendAt = (phone: string, at: Date) => query(t.database.db,
    `insert into sms_messages (id, mode, kind, phone, text_redacted, lang, status, gateway, created_at, updated_at) values (?, 'live', 'link', ?, '', 'en', 'sent', 'test', ?, ?)`,
    [`sms_${phone}_${at.getTime()}`, phone, at, at]);
  const wrongAt = (phone: string, at: Date) => query(t.database.db, `insert into phone_wrong_tries (phone, mode, at) values (?, 'live', ?)`, [phone, at]);

  it('lets a send through under every limit, and reads the configured caps', async () => {
    assert.deepEqual(await verdict(uniquePhone()), { verdict: 'ok', retry_after: null, codes_of_payment: 0 });
    assert.deepEqual(Object.keys(sendLimitsJson(t as never)).sort(), ['per_payment', 'per_phone_day', 'per_phone_hour']);
  });

  it('refuses the sixth SMS to a phone in an hour until the oldest leaves the hour; a failed send does not count', async () => {
    const phone = uniquePhone();
    for (const s of [3000, 2000, 1000, 500, 100]) await sendAt(phone, ago(s));
    assert.deepEqual(await verdict(phone), { verdict: 'phone_limit', retry_after: 600, codes_of_payment: 0 });
    await query(t.database.db, `update sms_messages set status = 'failed', gateway = null where phone = ? and created_at = ?`, [phone, ago(100)]);
    assert.equal((await verdict(phone)).verdict, 'ok');
  });

  it('locks a phone with 10 wrong tries in a day, before anything else, until the oldest is a day old', async () => {
    const phone = uniquePhone();
    for (let i = 0; i < 10; i++) await wrongAt(phone, ago(80_000 - i));
    assert.deepEqual(await verdict(phone), { verdict: 'phone_locked', retry_after: 86_400 - 80_000, codes_of_payment: 0 });
    assert.equal((await verdict(phone, null, true)).verdict, 'ok', 'a shared test phone is never locked for everyone');
    await query(t.database.db, `insert into limit_lifts (phone, mode, lifted_at, lifted_by) values (?, 'live', ?, 'test')`, [phone, t.clock.now()]);
    assert.equal((await verdict(phone)).verdict, 'ok', 'the operator\'s lift resets the past');
  });

  it('refuses the fourth code of a payment', async () => {
    const merchant = await createTestMerchant(t);
    const buyer = await createBuyer(t);
    const created = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
    await query(t.database.db, `insert into payment_codes (payment_id, seq, phone, mode, counter, sent_at, expires_at, status) select payment_id, seq + g, phone, mode, counter, sent_at, expires_at, 'dead' from payment_codes, generate_series(1, 2) g where payment_id = ?`, [created.body.id]);
    assert.deepEqual(await verdict(buyer.phone, created.body.id, true), { verdict: 'payment_limit', retry_after: null, codes_of_payment: 3 });
  });

  it('answers the payer\'s wallet, refusing a frozen one', async () => {
    const buyer = await createBuyer(t);
    const wallet = async () => (await query<{ purse: string; refusal: string | null }>(t.database.db, 'select purse, refusal from tp_payer_wallet(?, ?, ?)', [buyer.phone, 'USD', 'live']))[0];
    assert.deepEqual(await wallet(), { purse: buyer.purse, refusal: null });
    await query(t.database.db, `update wallets set status = 'frozen', frozen_at = now() where purse = ?`, [buyer.purse]);
    assert.deepEqual(await wallet(), { purse: buyer.purse, refusal: 'wallet_frozen' });
    assert.equal((await query(t.database.db, 'select * from tp_payer_wallet(?, ?, ?)', [buyer.phone, 'EUR', 'live'])).length, 0, 'no wallet of that currency');
  });

  describe('tp_create, through the API it serves', () => {
    it('makes the payment and its code in one statement; a phone with no wallet or a frozen one makes nothing', async () => {
      const merchant = await createTestMerchant(t);
      const m = api(t, merchant);
      const buyer = await createBuyer(t);
      const made = await m.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
      assert.equal(made.body.status, 'code_sent');
      assert.deepEqual(await query(t.database.db, 'select status, code_hash is not null as hashed from payment_codes where payment_id = ?', [made.body.id]), [{ status: 'live', hashed: true }]);
      const before = (await query<{ n: number }>(t.database.db, 'select count(*)::int as n from payments where merchant_id = ?', [merchant.id]))[0]!.n;
      assert.equal((await m.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: uniquePhone() }).expect(409)).body.code, 'no_wallet');
      await query(t.database.db, `update wallets set status = 'frozen', frozen_at = now() where purse = ?`, [buyer.purse]);
      assert.equal((await m.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(409)).body.code, 'wallet_frozen');
      assert.equal((await query<{ n: number }>(t.database.db, 'select count(*)::int as n from payments where merchant_id = ?', [merchant.id]))[0]!.n, before);
    });

    it('counts the SMS reservation before it checks: a number range past its limit spends none of the service\'s budget', async () => {
      const merchant = await createTestMerchant(t);
      const buyer = await createBuyer(t);
      const range = `range_sms:${buyer.phone.slice(0, -4)}`;
      await query(t.database.db, `insert into rate_counters (key, window_start, hits) values (?, ?, 1000000) on conflict (key) do update set hits = 1000000, window_start = excluded.window_start`,
        [range, new Date(Math.floor(t.clock.now().getTime() / 3_600_000) * 3_600_000)]);
      const budget = async () => (await query<{ hits: number }>(t.database.db, `select hits from rate_counters where key = 'sms_budget:all'`))[0]?.hits ?? 0;
      const spent = await budget();
      const refused = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(429);
      assert.equal(refused.body.limit, 'range_sms');
      assert.equal(await budget(), spent);
      assert.deepEqual(await query(t.database.db, 'select hits from rate_counters where key = ?', [range]), [{ hits: 1_000_001 }], 'the refused hit counted');
    });

    it('leaves a taken order number to the transaction path, which resumes the open payment', async () => {
      const merchant = await createTestMerchant(t);
      const buyer = await createBuyer(t);
      const m = api(t, merchant);
      const first = await m.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone, payment_no: 7 }).expect(201);
      t.clock.advance(31_000);
      const again = await m.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone, payment_no: 7 }).expect(200);
      assert.equal(again.body.id, first.body.id);
    });
  });
});
