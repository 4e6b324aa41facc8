import assert from 'node:assert/strict';
import supertest from 'supertest';
import { useTestApp } from '../helpers/test-app.js';
import { RecordingGateway } from '../helpers/recording-gateway.js';
import { api, createBuyer, createTestMerchant, lastCode } from '../helpers/merchant.js';
import { payNow, walletOf, assertLedgerClean } from '../helpers/payments.js';
import { uniquePhone } from '../helpers/builders.js';
import { onceOf } from '../helpers/office.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { askSignInCode, postSignInCode, signInAtMe, type MeBuyer } from '../helpers/me.js';
import { query } from '../../lib/postgres/db.js';
import { HOUR_MS } from '../../lib/domain/time.js';

const sections = (html: string) => [...html.matchAll(/<section class="wallet"[^>]*data-purse="([^"]+)" data-currency="([^"]+)" data-balance="([^"]+)" data-available="([^"]+)" data-status="([^"]+)"/g)]
  .map(([, purse, currency, balance, available, status]) => ({ purse: purse!, currency, balance, available, status }));
const rowsOf = (html: string) => [...html.matchAll(/<tr data-entry-id="([^"]+)" data-type="([^"]+)" data-amount="([^"]+)">([\s\S]*?)<\/tr>/g)]
  .map(([, id, type, amount, cells]) => ({ id: id!, type: type!, amount: amount!, receipt: /href="(\/r\/[^"]+)"/.exec(cells!)?.[1] }));
const wrongFor = (right: string) => (right === '0000' ? '1111' : '0000');

function seeOther(res: { status: number; headers: Record<string, string> }, location: string) {
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, location);
}

/** Posts an action form of the page with its CSRF and one-time tokens (or the given ones, to post the same form twice). */
async function act(me: MeBuyer, action: string, fields: Record<string, string> = {}, once?: string) {
  const token = once ?? onceOf(await me.page(), `/me/${action}`);
  return me.agent.post(`/me/${action}`).set('X-Forwarded-For', me.address).type('form').send({ _csrf: me.csrf, _once: token, ...fields });
}

describe('/me, the buyer\'s wallet page (docs/buyer-guide.md#me--the-buyers-wallet-page)', () => {
  const gateway = new RecordingGateway();
  const t = useTestApp({ smsGateway: gateway, config: { trustProxy: true, limits: { codesPerClientPerHour: 4, wrongCodesPerClientPerHour: 5 } } });
  // each test starts in fresh limit windows
  beforeEach(() => t.clock.advance(2 * HOUR_MS));

  it('signs a phone in with an SMS code (WebOTP line, cookie on /me); WALLET_SIGNUP=open gives a new phone a USD wallet', async () => {
    const phone = uniquePhone();
    const agent = supertest.agent(t.app.koa.callback());
    const step = await askSignInCode(t, agent, phone, '198.51.100.1');
    assert.equal(step.status, 200);
    assert.match(step.text, /name="code"[^>]*autocomplete="one-time-code"/);
    assert.match(gateway.to(phone).at(-1)!.text, /^\d{4} is your code to sign in to telepurse\. Do not share it\.\n\n@pay\.test #\d{4}$/);
    const done = await postSignInCode(agent, phone, lastCode(t, phone), '198.51.100.1');
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/me');
    const cookie = ([] as string[]).concat(done.headers['set-cookie'] ?? []).find((c) => c.startsWith('tp_me='))!;
    for (const flag of [/path=\/me/i, /httponly/i, /samesite=lax/i]) assert.match(cookie, flag);
    const page = await agent.get('/me').expect(200);
    assert.deepEqual(sections(page.text).map((s) => [s.currency, s.balance, s.available, s.status]), [['USD', '0.00', '0.00', 'active']]);
    const kept = await query(t.database.db, `select * from sign_in_codes where phone = ?`, [phone]);
    assert.equal(kept.length, 1);
    assert.ok(!JSON.stringify(kept, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).includes(`"${lastCode(t, phone)}"`), 'only the counter is kept, never the code');
    // signed out: the session is gone, /me asks for a sign-in again
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    await agent.post('/me/logout').type('form').send({ _csrf: csrf }).expect(303).expect('Location', '/me/login?signed_out=1');
    await agent.get('/me').expect(302).expect('Location', '/me/login');
  });

  it('counts sign-in codes per phone with its payment codes, and per address, before it checks', async () => {
    const buyer = await createBuyer(t, '50.00');
    const agent = supertest.agent(t.app.koa.callback());
    // 5 codes an hour per phone (docs/merchant-guide.md#codes-and-sms): 3 sign-ins from 3 addresses, then 2 payment codes; the 6th of any kind is refused
    for (const address of ['198.51.100.11', '198.51.100.12', '198.51.100.13']) {
      assert.equal((await askSignInCode(t, agent, buyer.phone, address)).status, 200);
      t.clock.advance(31_000);
    }
    const merchant = await createTestMerchant(t);
    for (let i = 0; i < 2; i++) await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
    const sent = gateway.to(buyer.phone).length;
    const refused = await askSignInCode(t, agent, buyer.phone, '198.51.100.14');
    assert.equal(refused.status, 429);
    assert.match(refused.text, /Too many codes were sent to this phone/);
    await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(429);
    assert.equal(gateway.to(buyer.phone).length, sent, 'no SMS past the cap');
    // per address: 4 codes an hour (this file's PAGE_CODES_PER_HOUR), counted before anything else, even for refused phones
    for (let i = 0; i < 4; i++) await askSignInCode(t, agent, uniquePhone(), '198.51.100.20');
    const fifth = await askSignInCode(t, agent, uniquePhone(), '198.51.100.20');
    assert.equal(fifth.status, 429);
    assert.match(fifth.text, /from your connection/);
    // the resend cooldown of a payment code holds for sign-in codes too
    const phone = uniquePhone();
    await askSignInCode(t, agent, phone, '198.51.100.21');
    assert.equal((await askSignInCode(t, agent, phone, '198.51.100.21', { resend: '1' })).status, 429);
  });

  it('kills a code after 3 wrong tries, counts wrong codes per address before it checks, and signs in once the limits allow', async () => {
    const phone = uniquePhone();
    const agent = supertest.agent(t.app.koa.callback());
    await askSignInCode(t, agent, phone, '198.51.100.30');
    const right = lastCode(t, phone);
    for (const left of ['2 tries left', '1 try left']) {
      const wrong = await postSignInCode(agent, phone, wrongFor(right), '198.51.100.30');
      assert.equal(wrong.status, 422);
      assert.match(wrong.text, new RegExp(left));
    }
    assert.equal((await postSignInCode(agent, phone, wrongFor(right), '198.51.100.30')).status, 422);
    const dead = await postSignInCode(agent, phone, right, '198.51.100.30');
    assert.equal(dead.status, 422, 'the right code of a dead code signs nothing in');
    const tries = await query<{ n: number }>(t.database.db, `select count(*)::int as n from phone_wrong_tries where phone = ? and payment_id is null`, [phone]);
    assert.equal(tries[0]!.n, 3, "the wrong tries count against the phone's daily allowance");
    // per address: 5 wrong codes an hour (this file's PAGE_WRONG_CODES_PER_HOUR); the 4 above count, the next is the 5th, then refused
    t.clock.advance(31_000);
    await askSignInCode(t, agent, phone, '198.51.100.30');
    assert.equal((await postSignInCode(agent, phone, wrongFor(lastCode(t, phone)), '198.51.100.30')).status, 422);
    const held = await postSignInCode(agent, phone, lastCode(t, phone), '198.51.100.30');
    assert.equal(held.status, 429, 'past the address limit even a right code is refused');
    const elsewhere = await postSignInCode(agent, phone, lastCode(t, phone), '198.51.100.31');
    assert.equal(elsewhere.status, 303, 'from another address the owner signs in');
  });

  it('deletes sign-in codes and their wrong tries once no limit counts them (the hourly purge), and keeps a payment\'s', async () => {
    const phone = uniquePhone();
    const agent = supertest.agent(t.app.koa.callback());
    await askSignInCode(t, agent, phone, '198.51.100.40');
    assert.equal((await postSignInCode(agent, phone, wrongFor(lastCode(t, phone)), '198.51.100.40')).status, 422);
    const count = async (sql: string) => (await query<{ n: number }>(t.database.db, sql, [phone]))[0]!.n;
    const codes = () => count('select count(*)::int as n from sign_in_codes where phone = ?');
    const tries = () => count('select count(*)::int as n from phone_wrong_tries where phone = ? and payment_id is null');
    // a wrong code of a payment: the payment's row, kept with the payment (retention masks it later)
    const merchant = await createTestMerchant(t);
    const buyer = await createBuyer(t);
    const paying = (await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201)).body;
    await api(t, merchant).post(`/payments/${paying.id}/confirm`, { code: wrongFor(lastCode(t, buyer.phone)) }).expect(422);
    const paymentTries = async () => (await query<{ n: number }>(t.database.db, 'select count(*)::int as n from phone_wrong_tries where payment_id = ?', [paying.id]))[0]!.n;
    assert.equal(await paymentTries(), 1);
    const purge = t.app.jobs.list.find((j) => j.name === 'purge-lapsed-limits')!;
    t.clock.advance(24 * HOUR_MS);
    await purge.run();
    assert.deepEqual([await codes(), await tries()], [1, 1], 'a day on, kept: the windows that count them may still look back');
    t.clock.advance(25 * HOUR_MS);
    await purge.run();
    assert.deepEqual([await codes(), await tries()], [0, 0], 'past every window: gone');
    assert.equal(await paymentTries(), 1, 'a payment\'s wrong try stays with its payment');
  });

  it('shows the history exactly as the ledger has it: payments, refunds, top-ups, vouchers, holds, each payment linked to its receipt', async () => {
    const merchant = await createTestMerchant(t, { capture: 'manual' });
    const auto = await createTestMerchant(t);
    const buyer = await createBuyer(t, '100.00');
    const { payment } = await payNow(t, auto, '12.08', {}, { buyer });
    await api(t, auto).post(`/payments/${payment.id}/refunds`, { amount: '2.00' }).expect(201);
    t.clock.advance(1000);
    const { payment: held } = await payNow(t, merchant, '5.00', {}, { buyer });
    t.clock.advance(1000);
    await api(t, merchant).post(`/payments/${held.id}/capture`, { amount: '3.00' }).expect(200);
    t.clock.advance(1000);
    await payNow(t, merchant, '1.50', {}, { buyer });
    t.clock.advance(1000);
    const issued = await t.admin('post', '/admin/v1/vouchers').send({ currency: 'USD', amount: '7.00', count: 1 }).expect(201);
    rememberSecret(issued.body.vouchers[0].code);
    const me = await signInAtMe(t, buyer.phone, '198.51.100.40');
    seeOther(await act(me, 'redeem', { voucher: issued.body.vouchers[0].code }), '/me?redeemed=1');

    const html = await me.page();
    const rows = rowsOf(html);
    const postings = await query<{ id: bigint; amount: bigint; kind: string }>(t.database.db,
      `select p.id, p.amount, t.kind from postings p join transfers t on t.id = p.transfer_id where p.purse = ? order by p.id desc`, [buyer.purse]);
    const ledgerRows = rows.filter((r) => r.type !== 'hold' && r.type !== 'hold_released');
    assert.deepEqual(ledgerRows.map((r) => r.id), postings.map((p) => `p${p.id}`), 'one row per posting, newest first');
    assert.deepEqual(ledgerRows.map((r) => r.amount), postings.map((p) => (Number(p.amount) / 100).toFixed(2)));
    assert.deepEqual(ledgerRows.map((r) => r.type), ['voucher', 'payment', 'refund', 'payment', 'topup']);
    const wallet = await walletOf(t, buyer.purse);
    const sum = (list: typeof rows) => list.reduce((s, r) => s + Math.round(Number(r.amount) * 100), 0);
    assert.equal(sum(ledgerRows), Math.round(Number(wallet.balance) * 100), 'the rows sum to the balance');
    assert.equal(sum(rows), Math.round(Number(wallet.available) * 100), 'with the holds, to what is available');
    assert.deepEqual(rows.filter((r) => r.type.startsWith('hold')).map((r) => [r.type, r.amount]), [['hold', '-1.50'], ['hold_released', '5.00'], ['hold', '-5.00']]);
    assert.deepEqual(sections(html).map((s) => [s.purse, s.balance, s.available]), [[buyer.purse, wallet.balance, wallet.available]]);
    // payments and refunds link to the receipt of their payment, which opens without sign-in
    const receipts = rows.filter((r) => r.type === 'payment' || r.type === 'refund');
    assert.ok(receipts.every((r) => r.receipt), JSON.stringify(receipts));
    const receipt = await supertest(t.app.koa.callback()).get(receipts.find((r) => r.type === 'refund')!.receipt!).expect(200);
    assert.match(receipt.text, new RegExp(`data-payment-id="${payment.id}"`));
    await assertLedgerClean(t);
  });

  it('redeems a voucher through the form once; a wrong code is told so beside the form', async () => {
    const phone = uniquePhone();
    const me = await signInAtMe(t, phone, '198.51.100.50');
    const issued = await t.admin('post', '/admin/v1/vouchers').send({ currency: 'USD', amount: '4.00', count: 1 }).expect(201);
    const code = issued.body.vouchers[0].code as string;
    rememberSecret(code);
    const once = onceOf(await me.page(), '/me/redeem');
    seeOther(await act(me, 'redeem', { voucher: code.toLowerCase() }, once), '/me?redeemed=1');
    seeOther(await act(me, 'redeem', { voucher: code }, once), '/me?redeemed=1');
    assert.equal(sections(await me.page())[0]!.balance, '4.00', 'the same form posted twice redeems once');
    const again = await act(me, 'redeem', { voucher: code });
    assert.equal(again.status, 409);
    assert.match(again.text, /already redeemed/);
    const wrong = await act(me, 'redeem', { voucher: 'AAAA-BBBB-CCCC-DDDD' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /This voucher code is not valid/);
    assert.equal(sections(await me.page())[0]!.balance, '4.00');
  });

  it('freezes at once: no code or pay link, API and hosted page refuse with wallet_frozen, refunds still arrive; an SMS-code session cannot unfreeze', async () => {
    const merchant = await createTestMerchant(t, { success_url: 'https://shop.example.com/ok', fail_url: 'https://shop.example.com/fail' });
    const buyer = await createBuyer(t, '60.00');
    const { payment: paid } = await payNow(t, merchant, '10.00', {}, { buyer });
    const open = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '3.00', phone: buyer.phone }).expect(201);
    const code = lastCode(t, buyer.phone);
    const me = await signInAtMe(t, buyer.phone, '198.51.100.60');

    const once = onceOf(await me.page(), '/me/freeze');
    seeOther(await act(me, 'freeze', {}, once), '/me');
    seeOther(await act(me, 'freeze', {}, once), '/me');
    const audit = await query(t.database.db, `select * from audit_log where action = 'wallet_freeze' and target = ?`, [buyer.purse]);
    assert.equal(audit.length, 1, 'the form acted once');
    const page = await me.page();
    assert.equal(sections(page)[0]!.status, 'frozen');
    assert.ok(!/data-action="freeze"/.test(page), 'nothing left to freeze');
    assert.ok(!/data-action="unfreeze"/.test(page), 'an SMS-code session is offered no unfreeze');

    const sent = gateway.to(buyer.phone).length;
    const client = api(t, merchant);
    const create = await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(409);
    assert.equal(create.body.code, 'wallet_frozen');
    const confirm = await client.post(`/payments/${open.body.id}/confirm`, { code }).expect(409);
    assert.equal(confirm.body.code, 'wallet_frozen');
    assert.equal((await client.get(`/payments/${open.body.id}`).expect(200)).body.status, 'code_sent', 'the payment stays as it was');
    const link = await client.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone, send: 'link' }).expect(409);
    assert.equal(link.body.code, 'wallet_frozen');
    const pay = supertest.agent(t.app.koa.callback());
    const hosted = await pay.post('/lmi/payment').set('X-Forwarded-For', '198.51.100.61').type('form').send(`LMI_PAYEE_PURSE=${merchant.purse}&LMI_PAYMENT_AMOUNT=2.00`).expect(303);
    const payPath = hosted.headers.location!;
    const form = await pay.get(payPath).set('X-Forwarded-For', '198.51.100.61').expect(200);
    const ru = await pay.post(`${payPath}/phone`).set('X-Forwarded-For', '198.51.100.61').set('Accept-Language', 'ru')
      .type('form').send({ csrf: /name="csrf" value="([^"]+)"/.exec(form.text)![1]!, phone: `+${buyer.phone}` });
    assert.equal(ru.status, 409);
    assert.match(ru.text, /Кошелёк этого телефона заморожен/);
    assert.equal(gateway.to(buyer.phone).length, sent, 'no SMS went to the frozen phone');

    await client.post(`/payments/${paid.id}/refunds`, { amount: '4.00' }).expect(201);
    assert.equal((await walletOf(t, buyer.purse)).balance, '54.00', 'the refund arrived');
    assert.equal(sections(await me.page())[0]!.balance, '54.00');
    // only an operator or a passkey sign-in unfreezes (lib/use-cases/buyers/freeze-wallet.ts): no route of an SMS session does
    const { unfreezeWallets } = await import('../../lib/use-cases/buyers/freeze-wallet.js');
    const by = { userId: audit[0]!.user_id as `usr_${string}`, ip: null };
    await assert.rejects(unfreezeWallets(t.app.deps, { phone: buyer.phone, by: { kind: 'sms_session', ...by } }), /cannot unfreeze/);
    const posted = await me.agent.post('/me/unfreeze').set('X-Forwarded-For', me.address).type('form').send({ _csrf: me.csrf, _once: once });
    assert.ok(posted.status >= 400, `an unfreeze posted by the SMS session is refused (${posted.status})`);
    assert.equal(sections(await me.page())[0]!.status, 'frozen');
    await unfreezeWallets(t.app.deps, { phone: buyer.phone, by: { kind: 'passkey', ...by } });
    assert.equal(sections(await me.page())[0]!.status, 'active');
    await payNow(t, merchant, '1.00', {}, { buyer });
    await assertLedgerClean(t);
  });

  it('pages a long history, 50 rows a page, newest first, every posting once', async () => {
    const buyer = await createBuyer(t, '1.00');
    for (let i = 0; i < 51; i++) {
      t.clock.advance(1000);
      await t.admin('post', `/admin/v1/wallets/${buyer.purse}/topups`).send({ amount: '0.01' }).expect(201);
    }
    const me = await signInAtMe(t, buyer.phone, '198.51.100.80');
    const first = await me.page();
    assert.equal(rowsOf(first).length, 50);
    assert.match(first, /href="\/me\?page=1" rel="next"/);
    const second = (await me.agent.get('/me?page=1').expect(200)).text;
    assert.deepEqual(rowsOf(second).map((r) => r.amount), ['0.01', '1.00']);
    assert.match(second, /href="\/me\?page=0" rel="prev"/);
    const ids = [...rowsOf(first), ...rowsOf(second)].map((r) => r.id);
    assert.equal(new Set(ids).size, 52);
  });

  it('exports everything kept about the phone as JSON, to its own session only', async () => {
    const buyer = await createBuyer(t, '9.00');
    const me = await signInAtMe(t, buyer.phone, '198.51.100.70');
    const exported = await me.agent.get('/me/export.json').expect(200).expect('Content-Type', /application\/json/);
    const body = JSON.parse(exported.text);
    assert.equal(body.phone, `+${buyer.phone}`);
    assert.deepEqual(body.wallets.map((w: { purse: string }) => w.purse), [buyer.purse]);
    await supertest(t.app.koa.callback()).get('/me/export.json').expect(302).expect('Location', '/me/login');
    // each download reads the payments table for mentions of the phone: 10 an hour, then a page that says when to come back
    for (let n = 2; n <= 10; n++) await me.agent.get('/me/export.json').expect(200);
    const refused = await me.agent.get('/me/export.json').set('Accept', 'text/html').expect(429);
    assert.match(refused.headers['retry-after']!, /^\d+$/);
    assert.match(refused.text, /Your data was downloaded too often\. Try again in \d+ min\./);
    // an hour later (its session has lapsed, 30 minutes idle): signed in again, it downloads again
    t.clock.advance(3_600_000);
    await (await signInAtMe(t, buyer.phone, '198.51.100.71')).agent.get('/me/export.json').expect(200);
  });
});

describe('/me with WALLET_SIGNUP=closed', () => {
  const t = useTestApp({ config: { walletSignup: 'closed' } });

  it('opens no wallet: the page says the operator opens wallets', async () => {
    const phone = uniquePhone();
    const me = await signInAtMe(t, phone);
    const page = await me.page();
    assert.deepEqual(sections(page), []);
    assert.match(page, /Wallets are opened by the operator/);
    const wallets = await query(t.database.db, `select 1 from wallets where phone = ?`, [phone]);
    assert.equal(wallets.length, 0);
  });
});
