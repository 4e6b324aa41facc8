import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, lastCode, api, type TestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, payNow, walletOf } from '../helpers/payments.js';
import { HostedPage } from '../helpers/hosted-page.js';
import { Receiver } from '../helpers/receiver.js';
import { query } from '../../lib/postgres/db.js';
import { voidExpiredAuthorizations } from '../../lib/use-cases/payments/void-payment.js';

describe('authorize now, capture later', function () {
  this.timeout(60_000);
  const receiver = new Receiver();
  // holds last a minute here; the clock starts well in the past so that real-time processes see them expired too
  const t = useTestApp({ clockStart: '2026-01-05T10:00:00.000Z', config: { holdTtlSeconds: 60 } });
  let merchant: TestMerchant;

  before(async () => {
    await receiver.start();
    merchant = await createTestMerchant(t, { result_url: receiver.url() });
  });
  after(() => receiver.stop());
  beforeEach(() => (receiver.requests.length = 0));

  // the confirm step's own answer (200 or a refusal); tests that need an authorized payment use payNow
  async function authorize(amount: string, buyer: { phone: string }) {
    const client = api(t, merchant);
    const p = await client.post('/payments', { payee_purse: merchant.purse, amount, phone: buyer.phone, capture: 'manual' }).expect(201);
    const res = await client.post(`/payments/${p.body.id}/confirm`, { code: lastCode(t, buyer.phone) });
    return res;
  }

  it('authorizing holds the money: available drops, balance does not, nothing reaches the merchant yet', async () => {
    const buyer = await createBuyer(t, '10.00');
    const merchantBefore = (await walletOf(t, merchant.purse)).balance;
    const res = await authorize('8.00', buyer);
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.status, res.body.amount_captured, res.body.transaction_no], ['authorized', '0.00', null]);
    assert.deepEqual(await walletOf(t, buyer.purse), { ...(await walletOf(t, buyer.purse)), balance: '10.00', held: '8.00', available: '2.00' });
    assert.equal((await walletOf(t, merchant.purse)).balance, merchantBefore);
    await t.app.notifier.idle();
    assert.equal(receiver.requests.length, 0, 'no Result notification before capture');
    await assertLedgerClean(t);

    const second = await authorize('3.00', buyer);
    assert.equal(second.status, 409);
    assert.equal(second.body.code, 'insufficient_funds', 'held money cannot be spent elsewhere');
  });

  it('a partial capture moves exactly that amount, releases the rest, and sends the Result with the captured amount', async () => {
    const buyer = await createBuyer(t, '10.00');
    const { payment: auth } = await payNow(t, merchant, '8.00', { capture: 'manual' }, { buyer });
    const merchantBefore = (await walletOf(t, merchant.purse)).balance;
    const captured = await api(t, merchant).post(`/payments/${auth.id}/capture`, { amount: '5.25' }).expect(200);
    assert.deepEqual([captured.body.status, captured.body.amount, captured.body.amount_captured], ['succeeded', '8.00', '5.25']);
    assert.equal(typeof captured.body.transaction_no, 'number');
    assert.deepEqual([(await walletOf(t, buyer.purse)).balance, (await walletOf(t, buyer.purse)).held], ['4.75', '0.00']);
    assert.equal(Number((await walletOf(t, merchant.purse)).balance) - Number(merchantBefore), 5.25);
    await t.app.notifier.idle();
    const f = new URLSearchParams(receiver.requests[0]!.body);
    assert.equal(f.get('LMI_PAYMENT_AMOUNT'), '5.25');
    assert.equal(f.get('LMI_SYS_TRANS_NO'), String(captured.body.transaction_no));
    await api(t, merchant).post(`/payments/${auth.id}/capture`).expect(409);
    // the same capture again (its answer was lost): the captured payment, and no money moves twice
    const again = await api(t, merchant).post(`/payments/${auth.id}/capture`, { amount: '5.25' }).expect(200);
    assert.deepEqual([again.body.amount_captured, again.body.transaction_no], ['5.25', captured.body.transaction_no]);
    assert.deepEqual([(await walletOf(t, buyer.purse)).balance, receiver.requests.length], ['4.75', 1]);
    const refundTooMuch = await api(t, merchant).post(`/payments/${auth.id}/refunds`, { amount: '5.26' }).expect(409);
    assert.equal(refundTooMuch.body.refundable, '5.25', 'refunds apply to the captured amount only');
    await api(t, merchant).post(`/payments/${auth.id}/refunds`).expect(201);
    await assertLedgerClean(t);
  });

  it('void releases the hold; capture after void is refused', async () => {
    const buyer = await createBuyer(t, '10.00');
    const { payment: auth } = await payNow(t, merchant, '6.00', { capture: 'manual' }, { buyer });
    const voided = await api(t, merchant).post(`/payments/${auth.id}/void`).expect(200);
    assert.equal(voided.body.status, 'voided');
    assert.deepEqual([(await walletOf(t, buyer.purse)).available, (await walletOf(t, buyer.purse)).held], ['10.00', '0.00']);
    const late = await api(t, merchant).post(`/payments/${auth.id}/capture`).expect(409);
    assert.deepEqual([late.body.code, late.body.payment_status], ['invalid_state', 'voided']);
    // the same void again (its answer was lost): the voided payment, nothing moves
    assert.equal((await api(t, merchant).post(`/payments/${auth.id}/void`).expect(200)).body.status, 'voided');
    assert.equal((await walletOf(t, buyer.purse)).available, '10.00');
    await assertLedgerClean(t);
  });

  it('concurrent capture and void: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const buyer = await createBuyer(t, '10.00');
      const { payment: auth } = await payNow(t, merchant, '4.00', { capture: 'manual' }, { buyer });
      const client = api(t, merchant);
      const [capture, voiding] = await Promise.all([client.post(`/payments/${auth.id}/capture`), client.post(`/payments/${auth.id}/void`)]);
      assert.deepEqual([capture.status, voiding.status].sort(), [200, 409]);
      const final = (await client.get(`/payments/${auth.id}`)).body.status;
      assert.equal(final, capture.status === 200 ? 'succeeded' : 'voided');
      const w = await walletOf(t, buyer.purse);
      assert.equal(w.held, '0.00');
      assert.equal(w.balance, final === 'succeeded' ? '6.00' : '10.00');
    }
    await assertLedgerClean(t);
  });

  it('a capture after the hold ran out voids it instead', async () => {
    const buyer = await createBuyer(t, '10.00');
    const { payment: auth } = await payNow(t, merchant, '2.00', { capture: 'manual' }, { buyer });
    t.clock.advanceSeconds(61);
    const res = await api(t, merchant).post(`/payments/${auth.id}/capture`).expect(409);
    assert.equal(res.body.payment_status, 'voided');
    assert.equal((await walletOf(t, buyer.purse)).available, '10.00');
  });

  it('the expiry job, run by two processes at once, voids each expired hold exactly once', async () => {
    const ids: string[] = [];
    const buyers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const buyer = await createBuyer(t, '5.00');
      buyers.push(buyer.purse);
      ids.push((await payNow(t, merchant, '1.00', { capture: 'manual' }, { buyer })).payment.id);
    }
    const [authorized] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from payments where status = 'authorized'`);
    assert.ok(authorized!.n >= 6);
    const run = promisify(execFile);
    const env = { ...process.env, NODE_ENV: 'development', DATABASE_URL: t.database.url, LOG_LEVEL: 'silent' };
    const outputs = await Promise.all([1, 2].map(() => run(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'jobs:run', 'void-expired-authorizations'], { env })));
    const voidedBy = outputs.map((o) => JSON.parse(o.stdout).result as number);
    assert.equal(voidedBy[0]! + voidedBy[1]!, authorized!.n, `each hold once: ${voidedBy.join(' + ')}`);
    for (const id of ids) assert.equal((await api(t, merchant).get(`/payments/${id}`)).body.status, 'voided');
    for (const purse of buyers) assert.deepEqual([(await walletOf(t, purse)).available, (await walletOf(t, purse)).held], ['5.00', '0.00']);
    const [events] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from holds where status = 'released' and id in (select hold_id from payments where id = any(?))`, [ids]);
    assert.equal(events!.n, 6);
    assert.equal(await voidExpiredAuthorizations(t.app.deps), 0);
    await assertLedgerClean(t);
  });

  it('a merchant whose default is manual capture authorizes through the hosted pages too', async () => {
    const manual = await createTestMerchant(t, { capture: 'manual', success_url: 'https://shop.example.com/ok' });
    const buyer = await createBuyer(t, '3.00');
    const page = await HostedPage.fromForm(t, { LMI_PAYEE_PURSE: manual.purse, LMI_PAYMENT_AMOUNT: '2' });
    await page.submit('phone', { phone: buyer.phone });
    const done = await page.follow(await page.submit('code', { code: lastCode(t, buyer.phone) }));
    assert.equal(done.status, 303);
    assert.ok(done.headers.location!.startsWith('https://shop.example.com/ok'));
    const [row] = await query<{ status: string }>(t.database.db, 'select status from payments where id = ?', [page.paymentId]);
    assert.equal(row!.status, 'authorized');
  });
});
