import { existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';

/**
 * A tool the tests need from Debian (Chromium, HAProxy, Patroni, etcd): installed by the test run
 * itself with apt-get when missing, as root or with password-less sudo; otherwise the run stops and says how.
 */
export function ensureDebianPackage(binary: string, pkg: string, why: string): void {
  if (existsSync(binary)) return;
  const asRoot = os.userInfo().uid === 0;
  const sudo = !asRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!asRoot && !sudo) throw new Error(`${pkg} is needed by ${why} and ${binary} is missing: install it (apt-get install ${pkg})`);
  const run = (args: string[]) => execFileSync(sudo ? 'sudo' : args[0]!, sudo ? args : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  console.log(`  ${pkg} missing: installing it with apt-get (once per machine)`);
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', pkg]);
  if (!existsSync(binary)) throw new Error(`apt-get ran but ${binary} is still missing`);
}
