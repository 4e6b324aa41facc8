import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../lib/log.js';

/** Every log line written by any service instance during the test run, to be searched for leaked secrets. */
export const capturedLogLines: string[] = [];

/** Secrets that tests saw handed out (API keys, secret keys, codes); none may appear in a log line. */
export const issuedSecrets = new Set<string>();

export function rememberSecret(value: string | undefined | null): void {
  if (value) issuedSecrets.add(value);
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
