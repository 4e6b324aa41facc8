import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startLiveApp, type LiveApp } from '../helpers/live-app.js';
import { launchBrowser, screenshot, seriousViolations, watchConsole } from '../helpers/browser.js';
import { GUIDES } from '../../lib/http/docs/guides.js';

/** Issue #20: the reference renders from our own files under the strict CSP; the guides are accessible. */
describe('developer docs in a real browser (headless Chromium)', function () {
  this.timeout(120_000);
  let app: LiveApp;
  let browser: Browser;
  before(async () => {
    app = await startLiveApp({});
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('Redoc renders both references from /assets, with no CSP violation or script error', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchConsole(page);
    const outside: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(app.url) && !req.url().startsWith('data:') && !req.url().startsWith('blob:')) outside.push(req.url());
    });
    const answer = await page.goto(`${app.url}/docs/api`);
    const csp = answer!.headers()['content-security-policy']!;
    assert.match(csp, /script-src 'self';/, 'scripts only from our origin');
    assert.match(csp, /style-src 'self' 'unsafe-inline'/, "Redoc's run-time styles, on this page only");
    await page.locator('h2', { hasText: 'Create a payment' }).first().waitFor({ timeout: 30_000 }).catch((err: Error) => {
      throw new Error(`${err.message}\n${problems.join('\n')}`);
    });
    assert.ok(await page.locator('h2', { hasText: 'payment.succeeded' }).count() > 0, 'the webhooks are described');
    await screenshot(page, 'docs-reference');
    await page.goto(`${app.url}/docs/admin`);
    await page.locator('h2', { hasText: 'Create a merchant' }).first().waitFor({ timeout: 30_000 });
    assert.deepEqual(problems, [], 'no console error (a CSP refusal is one)');
    assert.deepEqual(outside, [], 'nothing is fetched from another origin');
    await context.close();
  });

  it('the docs index and every guide pass axe-core', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    for (const path of ['/docs', ...GUIDES.map((g) => `/docs/guides/${g.slug}`)]) {
      const answer = await page.goto(`${app.url}${path}`);
      assert.match(answer!.headers()['content-security-policy']!, /style-src 'self';/, `${path} keeps the strict policy`);
      const violations = await seriousViolations(page);
      assert.deepEqual(violations.map((v) => `${v.id}: ${v.help}`), [], `${path} has serious accessibility violations`);
    }
    await context.close();
  });
});
