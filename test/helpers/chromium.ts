import { existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';

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
  if (existsSync(CHROMIUM_PATH)) return;
  const asRoot = os.userInfo().uid === 0;
  const sudo = !asRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!asRoot && !sudo) {
    throw new Error(`Chromium is needed by test/e2e and is not at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  const run = (args: string[]) => execFileSync(sudo ? 'sudo' : args[0]!, sudo ? args : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  console.log('  Chromium missing: installing it with apt-get (once per machine)');
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium']);
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get ran but ${CHROMIUM_PATH} is still missing`);
}
