import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../lib/log.js';

/** Every log line written by any service instance during the test run, to be searched for leaked secrets. */
export const capturedLogLines: string[] = [];

/** Secrets that tests saw handed out (API keys, secret keys, codes); none may appear in a log line. */
export const issuedSecrets = new Set<string>();

export function rememberSecret(value: string | undefined | null): void {
  if (value) issuedSecrets.add(value);
}

/** Codes handed out by SMS during the tests. Too short to search as bare digits, so their telltale forms are searched. */
export const issuedCodes = new Set<string>();

export function rememberCode(code: string): void {
  issuedCodes.add(code);
}

/** Every way a leaked code or secret could show up in a JSON log line; each leak names the line it is in, the secret cut out. */
export function leakedSecrets(lines: string[]): string[] {
  const leaks: string[] = [];
  for (const secret of issuedSecrets) {
    const line = lines.find((l) => l.includes(secret));
    if (line) leaks.push(`a secret in: ${line.split(secret).join('[LEAKED]').slice(0, 400)}`);
  }
  // a PostgreSQL error's C source line and query position are numbers of its own ("line":"3907"), not a code that leaked
  const scanned = lines.map((l) => l.replace(/"(line|position|internalPosition)":"\d+"/g, ''));
  for (const code of issuedCodes) {
    const forms = [`"${code}"`, `#${code}`, `${code} is your code`, `code=${code}`];
    const line = scanned.find((l) => forms.some((form) => l.includes(form)));
    if (line) leaks.push(`a code in: ${line.split(code).join('[CODE]').slice(0, 400)}`);
  }
  return leaks;
}

const sink = new Writable({
  write(chunk, _enc, done) {
    capturedLogLines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

export function captureLogger(): Logger {
  return createLogger('debug', sink);
}
