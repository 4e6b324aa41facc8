import { ensureDebianPackage } from '../../tools/debian-package.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage',
];

/**
 * The browser tests drive Debian's Chromium (a test tool's own browser download cannot work
 * offline). Like PostgreSQL, it is provisioned by the test run itself when missing.
 */
export function ensureChromium(): void {
  ensureDebianPackage(CHROMIUM_PATH, 'chromium', 'test/e2e (or set CHROMIUM_PATH)');
}
