import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, api, type TestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, payNow, walletBalance } from '../helpers/payments.js';
import { balanceMinor, fundedWallet, minor } from '../helpers/builders.js';
import { RecordingGateway } from '../helpers/recording-gateway.js';
import { inTransaction, query } from '../../lib/postgres/db.js';
import { DAY_MS } from '../../lib/domain/time.js';

describe('refunds', () => {
  const live = new RecordingGateway('live-fake');
  const t = useTestApp({ smsGateway: live });
  let merchant: TestMerchant;

  before(async () => {
    merchant = await createTestMerchant(t);
  });

  it('refunds in full to the payer by default; a second refund is refused', async () => {
    const { payment: { id }, buyer } = await payNow(t, merchant, '10.00', {}, { balance: '50.00' });
    const merchantBefore = balanceMinor(await walletBalance(t, merchant.purse));
    const client = api(t, merchant);
    const refund = await client.post(`/payments/${id}/refunds`).expect(201);
    assert.equal(refund.body.amount, '10.00');
    assert.equal(refund.body.phone, `+${buyer.phone}`);
    assert.equal(refund.body.purse, buyer.purse);
    assert.match(refund.body.id, /^rfd_/);
    assert.equal(await walletBalance(t, buyer.purse), '50.00');
    assert.equal(balanceMinor(await walletBalance(t, merchant.purse)), merchantBefore - minor('10.00'));
    const again = await client.post(`/payments/${id}/refunds`, { amount: '0.01' }).expect(409);
    assert.equal(again.body.code, 'refund_exceeds_payment');
    const payment = await client.get(`/payments/${id}`).expect(200);
    assert.deepEqual([payment.body.status, payment.body.amount_refunded], ['succeeded', '10.00']);
    await assertLedgerClean(t);
  });

  it('takes two partial refunds that fit, lists them, and refuses what is beyond the rest', async () => {
    const { payment: { id }, buyer } = await payNow(t, merchant, '10.00', {}, { balance: '10.00' });
    const client = api(t, merchant);
    await client.post(`/payments/${id}/refunds`, { amount: '3.00' }).expect(201);
    await client.post(`/payments/${id}/refunds`, { amount: '6.50' }).expect(201);
    const beyond = await client.post(`/payments/${id}/refunds`, { amount: '0.51' }).expect(409);
    assert.equal(beyond.body.refundable, '0.50');
    const list = await client.get(`/payments/${id}/refunds`).expect(200);
    assert.deepEqual(list.body.data.map((r: { amount: string }) => r.amount), ['6.50', '3.00']);
    assert.equal(await walletBalance(t, buyer.purse), '9.50');
    await assertLedgerClean(t);
  });

  it('20 concurrent partial refunds whose sum exceeds the payment: exactly the ones that fit succeed', async () => {
    const { payment: { id } } = await payNow(t, merchant, '10.00');
    const client = api(t, merchant);
    const results = await Promise.all(Array.from({ length: 20 }, () => client.post(`/payments/${id}/refunds`, { amount: '0.75' })));
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    assert.equal(ok.length, 13); // 13 × 0.75 = 9.75; a 14th would make 10.50
    assert.equal(refused.length, 7);
    assert.ok(refused.every((r) => r.body.code === 'refund_exceeds_payment'));
    const payment = await client.get(`/payments/${id}`).expect(200);
    assert.equal(payment.body.amount_refunded, '9.75');
    const [sum] = await query<{ total: bigint }>(t.database.db, 'select sum(amount)::bigint as total from refunds where payment_id = ?', [id]);
    assert.equal(sum!.total, minor('9.75'));
    await assertLedgerClean(t);
  });

  it('the same Idempotency-Key sent 10 times at once makes one refund', async () => {
    const { payment: { id }, buyer } = await payNow(t, merchant, '10.00', {}, { balance: '10.00' });
    const client = api(t, merchant);
    const results = await Promise.all(Array.from({ length: 10 }, () => client.post(`/payments/${id}/refunds`, { amount: '4.00' }, { 'Idempotency-Key': 'refund-once' })));
    assert.ok(results.every((r) => r.status === 201 || (r.status === 409 && r.body.code === 'idempotency_key_in_flight')), results.map((r) => r.status).join());
    const again = await client.post(`/payments/${id}/refunds`, { amount: '4.00' }, { 'Idempotency-Key': 'refund-once' }).expect(201);
    const [count] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from refunds where payment_id = ?', [id]);
    assert.equal(count!.n, 1);
    assert.equal(again.body.id, results.find((r) => r.status === 201)!.body.id);
    assert.equal(await walletBalance(t, buyer.purse), '4.00');
  });

  it("refunds to another phone's wallet in the payment's currency; an unknown phone or another currency is refused and moves nothing", async () => {
    const { payment: { id } } = await payNow(t, merchant, '10.00');
    const friend = await createBuyer(t, '1.00');
    const client = api(t, merchant);
    await client.post(`/payments/${id}/refunds`, { amount: '2.00', phone: `+${friend.phone}` }).expect(201);
    assert.equal(await walletBalance(t, friend.purse), '3.00');

    const before = await walletBalance(t, merchant.purse);
    const unknown = await client.post(`/payments/${id}/refunds`, { amount: '1.00', phone: '+7 903 999-88-77' }).expect(409);
    assert.equal(unknown.body.code, 'no_wallet');
    const euroOnly = await createBuyer(t, '0', { currency: 'EUR' });
    const otherCurrency = await client.post(`/payments/${id}/refunds`, { amount: '1.00', phone: euroOnly.phone }).expect(409);
    assert.equal(otherCurrency.body.code, 'no_wallet');
    assert.equal(await walletBalance(t, euroOnly.purse), '0.00');
    assert.equal(await walletBalance(t, merchant.purse), before);
    assert.equal((await client.get(`/payments/${id}`)).body.amount_refunded, '2.00');
  });

  it("refuses with 409 insufficient_funds when the merchant's wallet cannot cover it, moving nothing", async () => {
    const poor = await createTestMerchant(t);
    const { payment: p, buyer } = await payNow(t, poor, '8.00', {}, { balance: '20.00' });
    const client = api(t, poor);
    // a week later the sale's money is paid out: the wallet is empty
    t.clock.advance(8 * DAY_MS);
    await client.post('/payouts', { purse: poor.purse }).expect(201);
    const res = await client.post(`/payments/${p.id}/refunds`, { amount: '5.00' }).expect(409);
    assert.equal(res.body.code, 'insufficient_funds');
    assert.equal(await walletBalance(t, poor.purse), '0.00');
    assert.equal(await walletBalance(t, buyer.purse), '12.00');
    assert.equal((await client.get(`/payments/${p.id}`)).body.amount_refunded, '0.00');
    const [count] = await query<{ n: number }>(t.database.db, 'select count(*)::int as n from refunds where payment_id = ?', [p.id]);
    assert.equal(count!.n, 0);
  });

  it('refuses open payments and payments past the refund window (90 days)', async () => {
    const client = api(t, merchant);
    const open = await client.post('/payments', { payee_purse: merchant.purse, amount: '1' }).expect(201);
    const notPaid = await client.post(`/payments/${open.body.id}/refunds`).expect(409);
    assert.deepEqual([notPaid.body.code, notPaid.body.payment_status], ['invalid_state', 'created']);
    const { payment: { id } } = await payNow(t, merchant, '2.00');
    t.clock.advanceSeconds(90 * 86400 + 1);
    const late = await client.post(`/payments/${id}/refunds`).expect(409);
    assert.equal(late.body.code, 'refund_window_closed');
  });

  it('announces the refund: refund.succeeded webhook and an SMS to the refunded phone', async () => {
    const notified = await createTestMerchant(t, { webhook_url: 'http://127.0.0.1:9/hooks' });
    const { payment: p, buyer } = await payNow(t, notified, '5', {}, { balance: '10.00' });
    const client = api(t, notified);
    await client.post(`/payments/${p.id}/refunds`, { amount: '5.00' }).expect(201);
    await t.app.notifier.idle();
    // the refund's receipt is the buyer's notice (docs/buyer-guide.md#receipts)
    assert.equal(live.to(buyer.phone).filter((m) => /^Test Shop refunded 5\.00 USD to your wallet\. Receipt: http:\/\/\S+\/r\/[\w-]{22}$/.test(m.text)).length, 1);
    const rows = await query<{ kind: string; event_type: string | null; status: string }>(t.database.db, `select kind, event_type, status from notifications where payment_id = ? order by created_at, kind`, [p.id]);
    assert.ok(rows.some((r) => r.kind === 'webhook' && r.event_type === 'refund.succeeded'));
    assert.ok(rows.some((r) => r.kind === 'sms' && r.status === 'delivered'));
  });

  it('works from the operator CLI', async () => {
    const { payment: { id }, buyer } = await payNow(t, merchant, '6.00', {}, { balance: '6.00' });
    const run = promisify(execFile);
    const env = { ...process.env, NODE_ENV: 'development', DATABASE_URL: t.database.url, CODE_SECRET: 'cli-code-secret-0123456789abcdef' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'refunds:create', id, '--amount', '2.50'], { env });
    assert.equal(JSON.parse(stdout).amount, '2.50');
    const listed = JSON.parse((await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'refunds:list', id], { env })).stdout);
    assert.equal(listed.data.length, 1);
    assert.equal(await walletBalance(t, buyer.purse), '2.50');
    const tooMuch = await run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'refunds:create', id, '--amount', '9.00'], { env }).catch((e) => e);
    assert.equal(tooMuch.code, 1);
    assert.match(tooMuch.stderr, /refund_exceeds_payment/);
  });
});
