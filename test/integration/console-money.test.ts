import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useTestApp } from '../helpers/test-app.js';
import { api, createBuyer, createTestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, payNow, walletBalance } from '../helpers/payments.js';
import { consoleUser, type ConsoleUser } from '../helpers/console.js';
import { onceOf } from '../helpers/office.js';
import { Receiver } from '../helpers/receiver.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { formToken } from '../../lib/http/shared/action-tokens.js';
import { query } from '../../lib/postgres/db.js';
import { DAY_MS } from '../../lib/domain/time.js';

/** docs/operator-guide.md#operator-console: the money pages — wallets and the cashier's desk, payouts, notifications, vouchers, limits. */
describe('operator console: money pages', () => {
  const receiver = new Receiver();
  const t = useTestApp({ config: { cashierTopupPerDay: '100.00', notifyRetrySchedule: [30, 60], codes: { maxCodesPerPhonePerHour: 100 } } });
  before(() => receiver.start());
  after(() => receiver.stop());

  const post = (user: ConsoleUser, path: string, fields: Record<string, string>) => user.agent.post(path).type('form').send({ _csrf: user.csrf, ...fields });
  const tokenOf = async (user: ConsoleUser, page: string, action: string) => onceOf((await user.agent.get(page).expect(200)).text, action);
  const audits = async (action: string, target?: string) =>
    (await query<{ n: number }>(t.database.db, `select count(*)::int as n from audit_log where audience = 'console' and action = ? and (?::text is null or target = ?)`, [action, target ?? null, target ?? null]))[0]!.n;
  const deskOf = (phone: string) => `/console/wallets?phone=${encodeURIComponent(`+${phone}`)}`;

  it('a cashier finds a wallet by its exact phone only, tops it up twice with a slip each, and is refused past the daily limit', async () => {
    const cashier = await consoleUser(t, 'cashier');
    const buyer = await createBuyer(t, '5.00');
    // a part of the number finds nothing: the page says it is no whole number
    const partial = await cashier.agent.get(`/console/wallets?phone=${buyer.phone.slice(0, 7)}`).expect(400);
    assert.doesNotMatch(partial.text, /data-purse=/);
    const desk = await cashier.agent.get(deskOf(buyer.phone)).expect(200);
    assert.match(desk.text, new RegExp(`<section class="purse" data-purse="${buyer.purse}" data-currency="USD" data-balance="5.00" data-status="active"`));
    assert.doesNotMatch(desk.text, /data-entry-id=/, 'the desk shows no history');
    assert.doesNotMatch(desk.text, /data-action="freeze"/);
    const topUp = async (amount: string) => {
      const action = `/console/wallets/${buyer.purse}/topup`;
      const once = await tokenOf(cashier, deskOf(buyer.phone), action);
      const confirm = await post(cashier, action, { _once: once, amount, phone: `+${buyer.phone}` }).expect(200);
      assert.match(confirm.text, /name="confirmed" value="1"/);
      return { response: await post(cashier, action, { _once: once, amount, phone: `+${buyer.phone}`, confirmed: '1' }) };
    };
    for (const amount of ['40.00', '45.50']) {
      const done = (await topUp(amount)).response;
      assert.equal(done.status, 303);
      const slip = await cashier.agent.get(done.headers.location!).expect(200);
      assert.match(slip.text, new RegExp(`data-amount="${amount.replace('.', '\\.')}" data-purse="${buyer.purse}"`));
      assert.match(slip.text, new RegExp(cashier.email.replace(/[.+]/g, '\\$&')), 'the slip names the cashier');
      assert.ok(slip.text.includes(`+${buyer.phone.slice(0, 4)}`) && !slip.text.includes(buyer.phone), 'the phone is masked');
      assert.match(slip.text, /data-reference>\d+</);
      assert.match(slip.text, /console-print\.css/);
    }
    const refused = (await topUp('20.00')).response;
    assert.equal(refused.status, 403);
    assert.match(refused.text, /daily limit of 100\.00/);
    assert.equal(await walletBalance(t, buyer.purse), '90.50');
    assert.equal(await audits('wallet.cash_in', buyer.purse), 2);
    // a cashier reads nothing else, and sees another cashier's slips not at all
    await cashier.agent.get('/console/payouts').expect(403);
    const other = await consoleUser(t, 'cashier');
    const [slip] = await query<{ transfer_id: string }>(t.database.db, `select details->>'transfer_id' as transfer_id from audit_log where action = 'wallet.cash_in' limit 1`);
    await other.agent.get(`/console/wallets/slips/${slip!.transfer_id}`).expect(404);
  });

  it('finance tops up any wallet; support sees no top-up form and posting it is 403, but freezes and unfreezes', async () => {
    const [finance, support] = [await consoleUser(t, 'finance'), await consoleUser(t, 'support')];
    const buyer = await createBuyer(t, '1.00');
    const action = `/console/wallets/${buyer.purse}/topup`;
    const once = await tokenOf(finance, deskOf(buyer.phone), action);
    const done = await post(finance, action, { _once: once, amount: '500.00', confirmed: '1' }).expect(303);
    assert.match(done.headers.location!, /^\/console\/wallets\/slips\/\d+$/);
    const page = await finance.agent.get(deskOf(buyer.phone)).expect(200);
    assert.match(page.text, /data-balance="501\.00"/);
    assert.match(page.text, /<tr data-entry-id="\d+" data-type="topup" data-amount="500\.00">/);

    const seen = await support.agent.get(deskOf(buyer.phone)).expect(200);
    assert.doesNotMatch(seen.text, /data-action="topup"/);
    assert.match(seen.text, /data-action="freeze"/);
    const forged = formToken(support.csrf, action, t.clock.now());
    await post(support, action, { _once: forged, amount: '10.00', confirmed: '1' }).expect(403);
    assert.equal(await walletBalance(t, buyer.purse), '501.00');

    const freeze = await tokenOf(support, deskOf(buyer.phone), '/console/wallets/freeze');
    await post(support, '/console/wallets/freeze', { _once: freeze, phone: `+${buyer.phone}`, confirmed: '1' }).expect(303);
    assert.match((await support.agent.get(deskOf(buyer.phone))).text, /data-status="frozen"/);
    const unfreeze = await tokenOf(support, deskOf(buyer.phone), '/console/wallets/unfreeze');
    await post(support, '/console/wallets/unfreeze', { _once: unfreeze, phone: `+${buyer.phone}`, confirmed: '1' }).expect(303);
    assert.match((await support.agent.get(deskOf(buyer.phone))).text, /data-status="active"/);
    // the admin API shows the same for scripts
    const listed = (await t.admin('get', `/admin/v1/wallets?phone=${encodeURIComponent(`+${buyer.phone}`)}`).expect(200)).body.data;
    assert.deepEqual(listed.map((w: { purse: string; balance: string }) => [w.purse, w.balance]), [[buyer.purse, '501.00']]);
    assert.equal(listed[0].history[0].kind, 'topup');
    assert.deepEqual((await t.admin('get', '/admin/v1/wallets?phone=%2B12025550199').expect(200)).body.data, []);
    assert.equal((await t.admin('get', '/admin/v1/wallets?phone=123').expect(400)).body.code, 'invalid_request');
  });

  it('the CLI finds the wallets of a phone as the admin API does', async function () {
    this.timeout(90_000);
    const buyer = await createBuyer(t, '2.50');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'lib/cli.ts', 'wallets:find', `+${buyer.phone}`],
      { env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: t.database.url } });
    const found = JSON.parse(stdout).data;
    assert.deepEqual(found.map((w: { purse: string; balance: string }) => [w.purse, w.balance]), [[buyer.purse, '2.50']]);
    assert.equal(found[0].history.length, 1);
  });

  it('payouts: the pending list, the bank file, paid with a reference the merchant sees, failed with a reason', async () => {
    const merchant = await createTestMerchant(t);
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ payout_account: 'IBAN DE89 3704 0044 0532 0130 00', payout_delay_days: 0 }).expect(200);
    await payNow(t, merchant, '12.00');
    // before the operator signs in: a day would end the session
    t.clock.advance(DAY_MS);
    const finance = await consoleUser(t, 'finance');
    const first = (await api(t, merchant).post('/payouts', { purse: merchant.purse }).expect(201)).body;
    const list = await finance.agent.get('/console/payouts?status=pending').expect(200);
    assert.match(list.text, new RegExp(`<tr data-payout-id="${first.id}" data-status="pending">`));
    const csv = await finance.agent.get('/console/payouts.csv?status=pending').expect(200).expect('Content-Type', /text\/csv/);
    assert.equal(csv.text.split('\r\n')[0], 'payout_id,merchant_id,merchant_name,payout_account,amount,currency,purse,created_at');
    assert.ok(csv.text.includes(`${first.id},${merchant.id},`));
    const once = onceOf(list.text, `/console/payouts/${first.id}/paid`);
    await post(finance, `/console/payouts/${first.id}/paid`, { _once: once, reference: 'BANK-77', confirmed: '1' }).expect(303).expect('Location', '/console/payouts?status=paid&done=paid');
    const seen = (await api(t, merchant).get(`/payouts/${first.id}`).expect(200)).body;
    assert.deepEqual([seen.status, seen.reference], ['paid', 'BANK-77']);
    assert.match((await finance.agent.get('/console/payouts?status=paid')).text, new RegExp(`data-payout-id="${first.id}" data-status="paid"`));

    await payNow(t, merchant, '3.00');
    const second = (await api(t, merchant).post('/payouts', { purse: merchant.purse }).expect(201)).body;
    const failOnce = await tokenOf(finance, '/console/payouts', `/console/payouts/${second.id}/failed`);
    const empty = await post(finance, `/console/payouts/${second.id}/failed`, { _once: failOnce, reason: ' ', confirmed: '1' }).expect(400);
    assert.match(empty.text, /reason/);
    await post(finance, `/console/payouts/${second.id}/failed`, { _once: failOnce, reason: 'account closed', confirmed: '1' }).expect(303);
    assert.equal((await api(t, merchant).get(`/payouts/${second.id}`).expect(200)).body.failure_reason, 'account closed');
    assert.equal(await audits('payout.paid', first.id), 1);
    assert.equal(await audits('payout.failed', second.id), 1);
    const support = await consoleUser(t, 'support');
    assert.doesNotMatch((await support.agent.get('/console/payouts').expect(200)).text, /data-action="paid"/);
  });

  it('dead notifications of every merchant, each redelivered by support', async () => {
    const support = await consoleUser(t, 'support');
    const merchant = await createTestMerchant(t, { result_url: receiver.url('/result') });
    receiver.reply = () => ({ status: 500 });
    const { payment } = await payNow(t, merchant, '2.00', {}, { notified: true });
    for (const wait of [30, 60]) {
      t.clock.advanceSeconds(wait);
      await t.app.notifier.sweep();
    }
    const [row] = await query<{ id: string }>(t.database.db, `select id from notifications where payment_id = ? and kind = 'result' and status = 'dead'`, [payment.id]);
    assert.ok(row, 'the notification is dead');
    const page = await support.agent.get('/console/notifications?status=dead').expect(200);
    assert.match(page.text, new RegExp(`<tr data-notification-id="${row!.id}"`));
    receiver.reply = () => ({ status: 200, body: 'OK' });
    const once = onceOf(page.text, `/console/notifications/${row!.id}/redeliver`);
    await post(support, `/console/notifications/${row!.id}/redeliver`, { _once: once, confirmed: '1' }).expect(303);
    await t.app.notifier.idle();
    const [after] = await query<{ status: string }>(t.database.db, 'select status from notifications where id = ?', [row!.id]);
    assert.equal(after!.status, 'delivered');
    assert.doesNotMatch((await support.agent.get('/console/notifications?status=dead')).text, new RegExp(row!.id));
  });

  it('vouchers: the codes on the one answer (with its CSV), never again; list and void', async () => {
    const finance = await consoleUser(t, 'finance');
    const once = await tokenOf(finance, '/console/vouchers', '/console/vouchers');
    const fields = { _once: once, currency: 'USD', amount: '5.00', count: '3', mode: 'live' };
    const confirm = await post(finance, '/console/vouchers', fields).expect(200);
    assert.match(confirm.text, /name="count" value="3"/);
    const made = await post(finance, '/console/vouchers', { ...fields, confirmed: '1' }).expect(201);
    const codes = [...made.text.matchAll(/<code data-code dir="ltr">([0-9A-Z-]{19})<\/code>/g)].map((m) => m[1]!);
    codes.forEach((c) => rememberSecret(c));
    assert.equal(codes.length, 3);
    const csv = decodeURIComponent(/href="data:text\/csv;charset=utf-8,([^"]+)" download="vouchers-vbt_/.exec(made.text)![1]!);
    assert.equal(csv.split('\r\n')[0], 'id,code,amount,currency,expires_at');
    assert.ok(codes.every((c) => csv.includes(`,${c},5.00,USD,`)));
    assert.equal(made.headers['cache-control'], 'no-store');
    const batch = /data-batch-id="(vbt_[0-9a-z]+)"/.exec(made.text)![1]!;
    // the same form again: the batch's list, no codes
    const twice = await post(finance, '/console/vouchers', { ...fields, confirmed: '1' }).expect(303);
    assert.equal(twice.headers.location, `/console/vouchers?batch_id=${batch}`);
    const listed = await finance.agent.get(twice.headers.location!).expect(200);
    assert.equal([...listed.text.matchAll(/<tr data-voucher-id="vch_/g)].length, 3);
    assert.ok(codes.every((c) => !listed.text.includes(c)), 'no code is shown again');
    const id = /<tr data-voucher-id="(vch_[0-9a-z]+)" data-status="active"/.exec(listed.text)![1]!;
    const voidOnce = onceOf(listed.text, `/console/vouchers/${id}/void`);
    await post(finance, `/console/vouchers/${id}/void`, { _once: voidOnce, confirmed: '1' }).expect(303);
    assert.match((await finance.agent.get(`/console/vouchers?batch_id=${batch}`)).text, new RegExp(`data-voucher-id="${id}" data-status="void"`));
    const support = await consoleUser(t, 'support');
    const read = await support.agent.get('/console/vouchers').expect(200);
    assert.doesNotMatch(read.text, /data-action="vouchers"|data-action="void"/);
    await post(support, '/console/vouchers', { ...fields, _once: formToken(support.csrf, '/console/vouchers', t.clock.now()), confirmed: '1' }).expect(403);
  });

  it('limits: the state of a phone, a range and an address, and the lift', async () => {
    const support = await consoleUser(t, 'support');
    const buyer = await createBuyer(t);
    const phonePage = await support.agent.get(`/console/limits?phone=${encodeURIComponent(`+${buyer.phone}`)}`).expect(200);
    assert.match(phonePage.text, /data-limits="phone"/);
    assert.match(phonePage.text, /<tr data-limit="range_sms" data-hits="\d+" data-max="\d+"/);
    await support.agent.get('/console/limits?range=%2B1202555').expect(200);
    const address = await support.agent.get('/console/limits?address=203.0.113.7').expect(200);
    assert.match(address.text, /data-limit="page_codes"/);
    assert.equal((await support.agent.get('/console/limits?address=not-an-address')).status, 400);
    const once = onceOf(phonePage.text, '/console/limits/lift');
    await post(support, '/console/limits/lift', { _once: once, kind: 'phone', phone: `+${buyer.phone}`, mode: 'live' }).expect(303);
    assert.equal(await audits('limits.lift_phone', `+${buyer.phone}`), 1);
    const finance = await consoleUser(t, 'finance');
    assert.doesNotMatch((await finance.agent.get(`/console/limits?phone=${encodeURIComponent(`+${buyer.phone}`)}`)).text, /data-action="lift"/);
  });

  it('every action posted twice at once acts once', async () => {
    const [cashier, finance, support] = [await consoleUser(t, 'cashier'), await consoleUser(t, 'finance'), await consoleUser(t, 'support')];
    const buyer = await createBuyer(t, '1.00');
    const twice = async (user: ConsoleUser, page: string, action: string, fields: Record<string, string>) => {
      const once = await tokenOf(user, page, action);
      const [a, b] = await Promise.all([post(user, action, { _once: once, confirmed: '1', ...fields }), post(user, action, { _once: once, confirmed: '1', ...fields })]);
      assert.ok([a.status, b.status].every((s) => s === 303 || s === 201), `${action}: ${a.status} ${b.status}`);
      return [a, b];
    };
    const [c1, c2] = await twice(cashier, deskOf(buyer.phone), `/console/wallets/${buyer.purse}/topup`, { amount: '10.00' });
    assert.equal(c1!.headers.location, c2!.headers.location, 'both see the one slip');
    await twice(finance, deskOf(buyer.phone), `/console/wallets/${buyer.purse}/topup`, { amount: '7.00' });
    assert.equal(await walletBalance(t, buyer.purse), '18.00');
    assert.equal(await audits('wallet.cash_in', buyer.purse), 1);
    assert.equal(await audits('wallet.topup', buyer.purse), 1);

    await twice(support, deskOf(buyer.phone), '/console/wallets/freeze', { phone: `+${buyer.phone}` });
    await twice(support, deskOf(buyer.phone), '/console/wallets/unfreeze', { phone: `+${buyer.phone}` });
    for (const action of ['wallet_freeze', 'wallet_unfreeze']) {
      const [n] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from audit_log where action = ? and target = ?`, [action, buyer.purse]);
      assert.equal(n!.n, 1, action);
    }

    const notified = await createTestMerchant(t, { result_url: receiver.url('/twice') });
    receiver.reply = () => ({ status: 200, body: 'OK' });
    const { payment } = await payNow(t, notified, '1.00', {}, { notified: true });
    const [note] = await query<{ id: string }>(t.database.db, `select id from notifications where payment_id = ? and kind = 'result'`, [payment.id]);
    // a delivered notification is on no list of this page (its form is on the payment's page): the token that form carries
    const once = formToken(support.csrf, `/console/notifications/${note!.id}/redeliver`, t.clock.now());
    const both = await Promise.all([1, 2].map(() => post(support, `/console/notifications/${note!.id}/redeliver`, { _once: once, confirmed: '1' })));
    assert.deepEqual(both.map((r) => r.status), [303, 303]);
    const [requeued] = await query<{ redeliveries: number }>(t.database.db, 'select redeliveries from notifications where id = ?', [note!.id]);
    assert.equal(requeued!.redeliveries, 1);
    assert.equal(await audits('notification.redeliver', note!.id), 1);

    const merchant = await createTestMerchant(t);
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ payout_delay_days: 0 }).expect(200);
    await payNow(t, merchant, '9.00');
    const payout = (await api(t, merchant).post('/payouts', { purse: merchant.purse }).expect(201)).body;
    await twice(finance, '/console/payouts', `/console/payouts/${payout.id}/paid`, { reference: 'TWICE-1' });
    assert.equal(await audits('payout.paid', payout.id), 1);

    const [v1, v2] = await twice(finance, '/console/vouchers', '/console/vouchers', { currency: 'EUR', amount: '1.00', count: '2', mode: 'live' });
    for (const r of [v1!, v2!]) for (const m of r.text.matchAll(/<code data-code dir="ltr">([0-9A-Z-]{19})</g)) rememberSecret(m[1]!);
    assert.deepEqual([v1!.status, v2!.status].sort(), [201, 303]);
    const [issued] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from vouchers where currency = 'EUR'`);
    assert.equal(issued!.n, 2);
    const [voucher] = await query<{ id: string }>(t.database.db, `select id from vouchers where currency = 'EUR' limit 1`);
    await twice(finance, '/console/vouchers', `/console/vouchers/${voucher!.id}/void`, {});
    assert.equal(await audits('voucher.void', voucher!.id), 1);

    const page = `/console/limits?phone=${encodeURIComponent(`+${buyer.phone}`)}`;
    await twice(support, page, '/console/limits/lift', { kind: 'phone', phone: `+${buyer.phone}`, mode: 'live' });
    assert.equal(await audits('limits.lift_phone', `+${buyer.phone}`), 1);
    await assertLedgerClean(t);
  });
});
