import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createBuyer } from '../helpers/merchant.js';
import { fundedWallet } from '../helpers/builders.js';
import { consoleUser, type ConsoleUser } from '../helpers/console.js';
import { topUpWallet } from '../../lib/use-cases/buyers/top-up-wallet.js';
import { query } from '../../lib/postgres/db.js';
import type { Minor } from '../../lib/domain/money.js';

/** docs/operator-guide.md#operator-console: a wallet's history a page of 50 at a time, older and newer, by posting id. */
describe('operator console: paging a wallet\'s history', function () {
  this.timeout(60_000);
  const t = useTestApp();
  let finance: ConsoleUser;
  let buyer: Awaited<ReturnType<typeof createBuyer>>;
  let other: string;
  let desk: string;

  const deps = () => ({ db: t.database.db, clock: t.clock });
  const postingIds = async (purse: string) =>
    (await query<{ id: bigint }>(t.database.db, 'select id from postings where purse = ? order by id desc', [purse])).map((r) => String(r.id));
  const sectionOf = (html: string, purse: string) => {
    const start = html.indexOf(`<section class="purse" data-purse="${purse}"`);
    assert.ok(start >= 0, `the page shows wallet ${purse}`);
    return html.slice(start, html.indexOf('</section>', start));
  };
  const idsIn = (section: string) => [...section.matchAll(/<tr data-entry-id="(\d+)"/g)].map((m) => m[1]!);
  const linkIn = (section: string, page: 'newest' | 'newer' | 'older') => {
    const href = new RegExp(`<a href="([^"]+)"[^>]* data-page="${page}"`).exec(section)?.[1];
    return href?.replace(/&amp;/g, '&');
  };
  const get = async (user: ConsoleUser, href: string, status = 200) => (await user.agent.get(href.split('#')[0]!).expect(status)).text;

  before(async () => {
    finance = await consoleUser(t, 'finance');
    buyer = await createBuyer(t, '1.00');
    // 54 movements of the live wallet; 51 of the phone's test wallet, whose first page also has an older one
    for (let i = 1; i <= 53; i++) await topUpWallet(deps(), { purse: buyer.purse, amount: BigInt(i) as Minor });
    other = (await fundedWallet(deps(), { phone: buyer.phone, mode: 'test', balance: '1.00' })).purse;
    for (let i = 1; i <= 50; i++) await topUpWallet(deps(), { purse: other, amount: 1n as Minor });
    desk = `/console/wallets?phone=${encodeURIComponent(`+${buyer.phone}`)}`;
  });

  it('shows the latest 50, then the older rest, then back: no movement twice or missing, the other wallet on its first page', async () => {
    const all = await postingIds(buyer.purse);
    assert.equal(all.length, 54);
    const first = sectionOf(await get(finance, desk), buyer.purse);
    assert.deepEqual(idsIn(first), all.slice(0, 50), 'the newest 50, newest first');
    assert.equal(linkIn(first, 'newer'), undefined);
    assert.equal(linkIn(first, 'newest'), undefined);
    const older = linkIn(first, 'older');
    assert.equal(older, `/console/wallets?phone=${encodeURIComponent(`+${buyer.phone}`)}&purse=${buyer.purse}&before=${all[49]}#purse-${buyer.purse}`);

    const page2 = await get(finance, older!);
    const second = sectionOf(page2, buyer.purse);
    assert.deepEqual(idsIn(second), all.slice(50), 'the older 4, newest first');
    assert.deepEqual([...idsIn(first), ...idsIn(second)].sort(), [...all].sort(), 'every movement once');
    assert.equal(linkIn(second, 'older'), undefined, 'nothing older');
    assert.equal(linkIn(second, 'newest'), `${desk}#purse-${buyer.purse}`);
    assert.equal(linkIn(second, 'newer'), `${desk}&purse=${buyer.purse}&after=${all[50]}#purse-${buyer.purse}`);
    // the phone's other wallet is on its own first page, with its own way to older movements
    const theOther = sectionOf(page2, other);
    const otherIds = await postingIds(other);
    assert.deepEqual(idsIn(theOther), otherIds.slice(0, 50));
    assert.equal(linkIn(theOther, 'older'), `${desk}&purse=${other}&before=${otherIds[49]}#purse-${other}`);
    assert.equal(linkIn(theOther, 'newer'), undefined);

    const back = sectionOf(await get(finance, linkIn(second, 'newer')!), buyer.purse);
    assert.deepEqual(idsIn(back), all.slice(0, 50), 'newer than the older page is the first page again');
    assert.equal(linkIn(back, 'newer'), undefined);
    assert.equal(linkIn(back, 'older'), older);

    // a page from the middle: newer and older both, each a whole page away
    const middle = sectionOf(await get(finance, `${desk}&purse=${buyer.purse}&before=${all[1]}`), buyer.purse);
    assert.deepEqual(idsIn(middle), all.slice(2, 52));
    assert.equal(linkIn(middle, 'older'), `${desk}&purse=${buyer.purse}&before=${all[51]}#purse-${buyer.purse}`);
    const up = sectionOf(await get(finance, linkIn(middle, 'newer')!), buyer.purse);
    assert.deepEqual(idsIn(up), all.slice(0, 2));
    assert.equal(linkIn(up, 'newer'), undefined);
    assert.equal(linkIn(up, 'older'), `${desk}&purse=${buyer.purse}&before=${all[1]}#purse-${buyer.purse}`);
  });

  it('a page past the oldest movement says so and links back to the latest', async () => {
    const [oldest] = (await postingIds(buyer.purse)).slice(-1);
    const section = sectionOf(await get(finance, `${desk}&purse=${buyer.purse}&before=${oldest}`), buyer.purse);
    assert.deepEqual(idsIn(section), []);
    assert.match(section, /No movements on this page\./);
    assert.equal(linkIn(section, 'newest'), `${desk}#purse-${buyer.purse}`);
  });

  it('a bad page or a wallet of another phone is a readable 400, with every wallet on its first page', async () => {
    const stranger = await createBuyer(t, '1.00');
    const all = await postingIds(buyer.purse);
    for (const [query, message] of [
      [`&purse=${buyer.purse}&before=abc`, /This page of the history does not exist/],
      [`&purse=${buyer.purse}&before=99999999999999999999`, /This page of the history does not exist/],
      [`&purse=${buyer.purse}&before=5&after=2`, /This page of the history does not exist/],
      [`&before=${all[10]}`, /This page of the history does not exist/],
      [`&purse=${buyer.purse}&before=1&before=2`, /This page of the history does not exist/],
      [`&purse=${stranger.purse}&before=${all[10]}`, /This wallet is not linked to this phone/],
      [`&purse=nonsense&after=1`, /This wallet is not linked to this phone/],
    ] as const) {
      const html = await get(finance, `${desk}${query}`, 400);
      assert.match(html, /<p class="error" role="alert">/);
      assert.match(html, message, query);
      assert.deepEqual(idsIn(sectionOf(html, buyer.purse)), all.slice(0, 50), `${query}: the first page`);
    }
    // and in Russian
    assert.match(await get(finance, `${desk}&purse=${buyer.purse}&before=x&lang=ru`, 400), /Такой страницы истории нет/);
  });

  it('a cashier sees no history, nor its pages, whatever the address asks', async () => {
    const cashier = await consoleUser(t, 'cashier');
    const all = await postingIds(buyer.purse);
    for (const query of ['', `&purse=${buyer.purse}&before=${all[49]}`, `&purse=${buyer.purse}&after=${all[50]}`, '&purse=x&before=y']) {
      const html = await get(cashier, `${desk}${query}`);
      assert.match(html, new RegExp(`data-purse="${buyer.purse}"`));
      assert.doesNotMatch(html, /data-entry-id=|data-history-pages|data-page=/, query);
      assert.doesNotMatch(html, new RegExp(`data-purse="${other}"`), 'nor the test wallet');
    }
  });
});
