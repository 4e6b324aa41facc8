import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api, type TestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { officeUser, onceOf, type OfficeUser } from '../helpers/office.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { DAY_MS } from '../../lib/domain/time.js';

/** Every href and form action of a page that points into the office. */
function officeTargets(html: string): string[] {
  return [...html.matchAll(/\b(?:href|action)="(\/office[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

/** docs/merchant-guide.md#test-mode: in test mode the balance and payout pages, and the confirmation between them, keep ?mode=test on every office link. */
describe('office balance and payout pages keep test mode', () => {
  const t = useTestApp();
  let live: TestMerchant;
  let test: TestMerchant;
  let owner: OfficeUser;

  before(async () => {
    live = await createTestMerchant(t, { mode: 'live' });
    await t.admin('patch', `/admin/v1/merchants/${live.id}`).send({ payout_delay_days: 0 }).expect(200);
    owner = await officeUser(t, live, 'owner');
    const shopId = (await api(t, live).get('/shops').expect(200)).body.data[0].id as string;
    const page = await owner.agent.get(`/office/shops/${shopId}`).expect(200);
    const made = await owner.agent.post('/office/keys').type('form')
      .send({ _csrf: owner.csrf, _once: onceOf(page.text, '/office/keys'), name: 'links', mode: 'test' }).expect(200);
    const key = /data-shown-once>(tp_test_[0-9A-Za-z]{32})</.exec(made.text)![1]!;
    rememberSecret(key);
    const testPurse = (await api(t, { ...live, apiKey: key }).get('/shops').expect(200)).body.data[0].purse as string;
    test = { ...live, apiKey: key, mode: 'test', purse: testPurse };
    await payNow(t, test, '12.00');
    await payNow(t, live, '3.00');
    t.clock.advance(DAY_MS);
    owner = await officeUser(t, live, 'owner'); // the first session idled out over that day
  });

  /** Each office target carries mode=test, but the switch to live and signing out. */
  function assertKeepsTest(html: string, page: string) {
    const targets = officeTargets(html);
    assert.ok(targets.length >= 5, `${page}: ${targets.join(' ')}`);
    const toLive = /href="([^"]+)" data-mode-switch="live"/.exec(html)?.[1];
    assert.ok(toLive, `${page} has the switch to live`);
    assert.doesNotMatch(toLive, /mode=test/);
    const lost = targets.filter((href) => href !== toLive && href !== '/office/logout' && !/[?&]mode=test(&|$)/.test(href));
    assert.deepEqual(lost, [], `${page}: links that drop test mode`);
  }

  it('the test balance page: its payout form, payout links, navigation and languages all stay in test mode', async () => {
    const html = (await owner.agent.get('/office/balance?mode=test').expect(200)).text;
    assert.match(html, new RegExp(`data-purse="${test.purse}"`));
    assert.match(html, new RegExp(`action="/office/balance/${test.purse}/payout\\?mode=test"`));
    assert.match(html, /<a href="\/office\/payments\?mode=test">/, 'the navigation keeps the mode');
    assertKeepsTest(html, '/office/balance?mode=test');
    const liveHtml = (await owner.agent.get('/office/balance').expect(200)).text;
    assert.deepEqual(officeTargets(liveHtml).filter((href) => /mode=test/.test(href)), ['/office/balance?mode=test'], 'in live mode only the switch names test');
  });

  it('pay out now in test mode: the confirmation, the answer and the payout page (statement CSV, back link) keep the mode', async () => {
    const action = `/office/balance/${test.purse}/payout`;
    const balance = (await owner.agent.get('/office/balance?mode=test').expect(200)).text;
    const posted = (fields: Record<string, string>) => owner.agent.post(`${action}?mode=test`).type('form').send({ _csrf: owner.csrf, ...fields });
    const confirm = await posted({ _once: onceOf(balance, `${action}?mode=test`) }).expect(200);
    assert.match(confirm.text, new RegExp(`action="${action}\\?mode=test" class="stack narrow" data-confirmed`));
    assert.match(confirm.text, /<a href="\/office\/balance\?mode=test">/, 'going back returns to the test balance');
    assertKeepsTest(confirm.text, 'the confirmation');
    // a confirmation answers a POST: its language links and its switch to live open the page the form is on, by GET
    const languages = [...confirm.text.matchAll(/<a href="([^"]+)" lang="[a-z]{2}" hreflang/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    assert.deepEqual(languages, ['en', 'ru', 'de', 'vi', 'ar'].map((code) => `/office/balance?lang=${code}&mode=test`));
    const switchToLive = /href="([^"]+)" data-mode-switch="live"/.exec(confirm.text)![1]!.replace(/&amp;/g, '&');
    assert.equal(switchToLive, '/office/balance');
    for (const href of [languages[1]!, switchToLive]) await owner.agent.get(href).expect(200);
    const done = await posted({ _once: onceOf(confirm.text, `${action}?mode=test`), confirmed: '1' }).expect(303);
    const location = String(done.headers.location);
    assert.match(location, /^\/office\/payouts\/po_[^?]+\?mode=test$/);
    const payoutId = location.slice('/office/payouts/'.length).split('?')[0]!;
    assert.equal((await api(t, test).get(`/payouts/${payoutId}`).expect(200)).body.amount, '12.00');

    const html = (await owner.agent.get(location).expect(200)).text;
    assert.match(html, new RegExp(`href="/office/payouts/${payoutId}/transactions\\.csv\\?mode=test"`));
    assert.match(html, /<p><a href="\/office\/balance\?mode=test">/);
    assertKeepsTest(html, 'the payout page');
    assert.match(html, /href="\/office\/balance" data-mode-switch="live"/, 'a test payout switches to the live balance, not to itself');
    assert.match((await owner.agent.get(`/office/payouts/${payoutId}/transactions.csv?mode=test`).expect(200)).text, /^id,type,/);
    // the balance page lists the payout with a link that keeps the mode
    assert.match((await owner.agent.get('/office/balance?mode=test').expect(200)).text, new RegExp(`href="/office/payouts/${payoutId}\\?mode=test"`));
  });

  it('a test merchant, which has test data only, gets no ?mode=test added', async () => {
    const merchant = await createTestMerchant(t, { mode: 'test' });
    const user = await officeUser(t, merchant, 'owner');
    const html = (await user.agent.get('/office/balance').expect(200)).text;
    assert.match(html, /data-mode="test"/);
    assert.deepEqual(officeTargets(html).filter((href) => /mode=test/.test(href)), []);
  });
});
