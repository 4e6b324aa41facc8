import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api } from '../helpers/merchant.js';
import { assertLedgerClean, payNow } from '../helpers/payments.js';
import { officeUser, onceOf, type OfficeUser } from '../helpers/office.js';
import { DAY_MS } from '../../lib/domain/time.js';

/** docs/merchant-guide.md#back-office "Running the shop alone": the balance page explains itself, shows the fee and schedule, and pays out now. */
describe('office balance page and "pay out now"', () => {
  const t = useTestApp();
  const post = (user: OfficeUser, path: string, fields: Record<string, string>) => user.agent.post(path).type('form').send({ _csrf: user.csrf, ...fields });
  const figure = (html: string, purse: string, label: string) => {
    const section = html.slice(html.indexOf(`data-purse="${purse}"`));
    const m = new RegExp(`<dt>${label}</dt><dd class="num">(?:<[^>]+>)*([^<]+)`).exec(section);
    return m?.[1]?.replace(/[^\d.-]/g, '');
  };

  it('adds up balance = not available yet + available, a refund showing as a negative available, with the fee and payout schedule', async () => {
    const merchant = await createTestMerchant(t);
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
    await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ fee: { percent: '2.50', fixed: '0.10', refund: 'return' } }).expect(200);
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ payout_schedule: 'daily', payout_minimum: '5.00', payout_delay_days: 3 }).expect(200);
    const viewer = await officeUser(t, merchant, 'viewer');
    const { payment } = await payNow(t, merchant, '66.66');
    await api(t, merchant).post(`/payments/${payment.id}/refunds`, { amount: '10.00' }).expect(201);

    const html = (await viewer.agent.get('/office/balance').expect(200)).text;
    const balance = Number(figure(html, merchant.purse, 'Balance'));
    const pending = Number(figure(html, merchant.purse, 'Not available yet'));
    const available = Number(figure(html, merchant.purse, 'Available'));
    assert.ok(available < 0, `the refund, taken at once, shows as available ${available}`);
    assert.equal(Math.round((pending + available) * 100), Math.round(balance * 100), 'the figures add up');
    assert.equal(figure(html, merchant.purse, 'Payable'), '0.00');
    assert.match(html, /data-fee>Fee of this shop: 2\.50 % \+ 0\.10 USD per payment\. On a refund the fee comes back in proportion\./);
    assert.match(html, /data-payout-schedule="daily">Payouts: every day, when at least 5\.00 is payable\. Sales become payable 3 days after they were paid\./);
    assert.doesNotMatch(html, /data-action="payout"/, 'a viewer is not offered the payout');
    const once = onceOf((await (await officeUser(t, merchant, 'owner')).agent.get('/office/balance')).text, `/office/balance/${merchant.purse}/payout`);
    await post(viewer, `/office/balance/${merchant.purse}/payout`, { _once: once, confirmed: '1' }).expect(403);
  });

  it('staff pay out now after a confirmation; the form posted twice at once pays out once; nothing payable is said beside the form', async () => {
    const merchant = await createTestMerchant(t);
    let staff = await officeUser(t, merchant, 'staff');
    const action = `/office/balance/${merchant.purse}/payout`;
    await payNow(t, merchant, '20.00');

    let once = onceOf((await staff.agent.get('/office/balance').expect(200)).text, action);
    const refused = await post(staff, action, { _once: once, confirmed: '1' }).expect(422);
    assert.match(refused.text, /Nothing in Z\d{12} is available to pay out yet/);

    t.clock.advance(8 * DAY_MS);
    staff = await officeUser(t, merchant, 'staff'); // the first session idled out over those days
    once = onceOf((await staff.agent.get('/office/balance').expect(200)).text, action);
    const confirm = await post(staff, action, { _once: once }).expect(200);
    assert.match(confirm.text, new RegExp(`Pay out everything payable in purse ${merchant.purse} now\\?`));
    const posts = await Promise.all([1, 2, 3].map(() => post(staff, action, { _once: onceOf(confirm.text, action), confirmed: '1' })));
    assert.deepEqual(posts.map((r) => r.status), [303, 303, 303]);
    assert.equal(new Set(posts.map((r) => r.headers.location)).size, 1, 'every post lands on the one payout');
    const payoutPage = await staff.agent.get(String(posts[0]!.headers.location)).expect(200);
    assert.match(payoutPage.text, /20\.00/);
    const listed = (await api(t, merchant).get('/payouts').expect(200)).body.data;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].amount, '20.00');
    const audit = (await t.database.db.raw(`select action, email from audit_log where action = 'payout.create'`)).rows;
    assert.deepEqual(audit, [{ action: 'payout.create', email: staff.email }], 'audited once, naming who paid out');
    await assertLedgerClean(t);
  });

  it('/office opens on the overview: today\'s and this month\'s sales, refunds and fees, the balance, the next payout, failing notifications, and a 30-day chart with its figures in a table', async () => {
    const merchant = await createTestMerchant(t, { result_url: 'http://127.0.0.1:9/nowhere' });
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
    await t.admin('patch', `/admin/v1/shops/${shopId}`).send({ fee: { percent: '10.00', refund: 'keep' } }).expect(200);
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ payout_schedule: 'monthly', payout_minimum: '2.00' }).expect(200);
    const viewer = await officeUser(t, merchant, 'viewer');
    t.clock.advance(-2 * DAY_MS);
    await payNow(t, merchant, '7.00');
    t.clock.advance(2 * DAY_MS);
    const { payment } = await payNow(t, merchant, '10.00');
    await payNow(t, merchant, '5.00');
    await api(t, merchant).post(`/payments/${payment.id}/refunds`, { amount: '2.00' }).expect(201);

    const html = (await viewer.agent.get('/office').expect(200)).text;
    const metric = (name: string) => new RegExp(`data-metric="${name}" data-currency="USD" data-value="([^"]+)"`).exec(html)?.[1];
    assert.deepEqual(['sales_today', 'refunds_today', 'fees_today'].map(metric), ['15.00', '2.00', '1.50']);
    const now = t.clock.now();
    const sameMonth = new Date(now.getTime() - 2 * DAY_MS).getUTCMonth() === now.getUTCMonth();
    assert.equal(metric('sales_month'), sameMonth ? '22.00' : '15.00', 'the month counts from the 1st (UTC)');
    assert.equal(metric('balance'), '17.80', '22.00 − 2.20 fees − 2.00 refunded');
    assert.match(html, /data-metric="next_payout" data-value="\d{4}-\d\d-01T00:00:00\.000Z"/);
    assert.match(html, /data-metric="failing_notifications" data-value="\d+"/);
    assert.match(html, /<svg [^>]*role="img"/);
    assert.equal((html.match(/<rect class="sales"/g) ?? []).length, 30, 'one bar pair per day');
    assert.equal((html.match(/<tr><th scope="row">\d{4}-\d\d-\d\d<\/th>/g) ?? []).length, 30, 'the chart\'s figures as a table');
    assert.match(html, new RegExp(`<th scope="row">${now.toISOString().slice(0, 10)}</th><td class="num">15.00</td><td class="num">2.00</td>`));

    // right to left: the latest day is drawn first, at the left edge of the reading order's end
    const ar = (await viewer.agent.get('/office?lang=ar').expect(200)).text;
    const firstTitle = /<g><title>(\d{4}-\d\d-\d\d):/.exec(ar)?.[1];
    const xOf = (doc: string, day: string) => Number(new RegExp(`<title>${day}:[^<]*</title><rect class="sales" x="([\\d.]+)"`).exec(doc)?.[1]);
    assert.ok(firstTitle);
    assert.ok(xOf(ar, now.toISOString().slice(0, 10)) < xOf(ar, firstTitle!), 'in Arabic today is drawn at the left, the month running right to left');
    assert.ok(xOf(html, now.toISOString().slice(0, 10)) > xOf(html, firstTitle!), 'in English today is drawn at the right');
  });
});
