import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';
import { totpCode } from '../../lib/domain/totp.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SCREENSHOTS = 'test-artifacts/screenshots';

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** Chromium may reach `localhost` over ::1; the live app listens on 127.0.0.1 (docs/security.md#passkeys needs a domain name). */
export const LOCALHOST_TO_LOOPBACK = '--host-resolver-rules=MAP localhost 127.0.0.1';

/** A phone-sized context (iPhone 14-like), as buyers mostly are. */
export async function phoneContext(browser: Browser, options: { locale?: string; javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: options.locale ?? 'en-US',
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/**
 * axe-core run in the page. It is injected with evaluate (which the page's CSP does not govern),
 * so the page keeps its real CSP while being checked.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Collects what the browser complains about: CSP refusals, script errors. */
/** Fails with each serious or critical axe-core violation of the page, named with its elements. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousViolations(page);
  assert.deepEqual(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), [], `${what} has serious accessibility violations`);
}

export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    // non-2xx pages (a 422 for a wrong code) are logged as "failed to load": they are answers, not faults
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  return problems;
}

/**
 * Signs in at /office or /console as a person does: e-mail and password, then, when enrolled, the authenticator's code of the
 * next step (a step signs in once, so each sign-in moves the clock on); waits for the page it lands on.
 */
export async function signInAt(
  app: { url: string; clock: { advance(ms: number): void; now(): Date } }, context: BrowserContext,
  at: { area: 'office' | 'console'; email: string; password: string; totpSecret?: string; landing?: RegExp },
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${app.url}/${at.area}/login`);
  await page.fill('#email', at.email);
  await page.fill('#password', at.password);
  await page.click('main button[type=submit]');
  if (at.totpSecret) {
    await page.waitForURL(new RegExp(`/${at.area}/totp$`));
    app.clock.advance(30_000);
    await page.fill('#totp', await totpCode(at.totpSecret, app.clock.now()));
    await page.click('main button[type=submit]');
  }
  await page.waitForURL(at.landing ?? new RegExp(`/${at.area}$`));
  return page;
}
