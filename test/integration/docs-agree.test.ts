import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, api } from '../helpers/merchant.js';
import { officeUser, onceOf } from '../helpers/office.js';

const unescapeHtml = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const codeBlocks = (html: string) => [...html.matchAll(/<pre[^>]*><code>([\s\S]*?)<\/code><\/pre>/g)].map((m) => unescapeHtml(m[1]!));

/** Issue 29: what the guides, dialogs and docs say is what the service does. */
describe('the docs agree with the service', () => {
  const t = useTestApp();

  it('the guides give the retry window the schedule adds up to (NOTIFY_RETRY_SCHEDULE), not a figure of their own', async () => {
    const total = t.config.notifyRetrySchedule.reduce((a, b) => a + b, 0);
    assert.equal((total / 86400).toFixed(1), '4.2', 'the default schedule adds up to about 4.2 days');
    for (const slug of ['form', 'webhooks']) {
      const page = await t.http.get(`/docs/guides/${slug}`).expect(200);
      assert.match(page.text, /retried with growing delays for about 4\.2 days/, slug);
      assert.doesNotMatch(page.text, /three days/, slug);
    }
    const within = Math.round(t.config.notifyTimeoutMs / 1000);
    assert.match((await t.http.get('/docs/guides/webhooks')).text, new RegExp(`Answer any 2xx within ${within} seconds`), 'NOTIFY_TIMEOUT_MS');
  });

  it('the Node snippet of the form guide runs as written (with verify-result.mjs beside it and express installed)', async () => {
    const page = await t.http.get('/docs/guides/form').expect(200);
    const snippet = codeBlocks(page.text).find((c) => c.includes("from './verify-result.mjs'"));
    assert.ok(snippet, 'the guide shows how to use verify-result.mjs');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tp-snippet-'));
    try {
      writeFileSync(path.join(dir, 'verify-result.mjs'), readFileSync('docs/snippets/verify-result.mjs'));
      // a stand-in express with the calls the snippet makes: it records them instead of serving
      mkdirSync(path.join(dir, 'node_modules/express'), { recursive: true });
      writeFileSync(path.join(dir, 'node_modules/express/package.json'), JSON.stringify({ name: 'express', type: 'module', main: 'index.js' }));
      writeFileSync(path.join(dir, 'node_modules/express/index.js'), `
        const express = () => ({ post: (route) => console.log('route ' + route), listen: (port) => console.log('listen ' + port) });
        express.urlencoded = () => () => {};
        export default express;`);
      writeFileSync(path.join(dir, 'server.mjs'), snippet);
      const run = spawnSync(process.execPath, ['server.mjs'], { cwd: dir, encoding: 'utf8', timeout: 10_000 });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(run.stdout.trim().split('\n'), ['route /telepurse/result', 'listen 3000']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the rotation dialogs say what happens: the secret key stops at once, the old webhook secret signs 24 h more', async () => {
    const merchant = await createTestMerchant(t);
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
    const owner = await officeUser(t, merchant, 'owner');
    const page = (await owner.agent.get(`/office/shops/${shopId}`).expect(200)).text;
    const _once = onceOf(page, `/office/shops/${shopId}/rotate`);
    // without JavaScript the form posts first to its confirmation page, which says what will happen
    const ask = async (which: string) => (await owner.agent.post(`/office/shops/${shopId}/rotate`).type('form').send({ _csrf: owner.csrf, _once, which }).expect(200)).text;
    assert.match(await ask('webhook_secret'), /For 24 hours webhooks carry a signature with the old secret and one with the new/);
    assert.match(await ask('secret_key'), /The old one stops working at once/);
  });

  it('phones in JSON are taken in common notations and answered in E.164 with +, as the merchant guide says', async () => {
    const merchant = await createTestMerchant(t);
    const buyer = await createBuyer(t);
    const spaced = `+${buyer.phone.slice(0, 1)} ${buyer.phone.slice(1, 4)} ${buyer.phone.slice(4, 7)}-${buyer.phone.slice(7)}`;
    for (const phone of [spaced, buyer.phone, `00${buyer.phone}`]) {
      const p = await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone }).expect(201);
      assert.equal(p.body.phone, `+${buyer.phone}`, phone);
    }
    const guide = readFileSync('docs/merchant-guide.md', 'utf8');
    assert.match(guide, /Phones are accepted in any common notation with a country code/);
  });
});
