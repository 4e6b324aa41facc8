import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import { keepServiceSecret } from '../store/service-secrets.js';
import type { Config } from '../config.js';

/**
 * Outside production CODE_SECRET may be left out (spec §15): one generated secret is kept in the
 * database so that a restart or a second instance derives the same codes and CSRF tokens.
 * Production requires it, so there a dump of the database alone reveals no live code.
 */
export async function resolveServiceSecrets(db: Db, config: Config): Promise<Config> {
  if (config.codeSecret) return config;
  const codeSecret = await keepServiceSecret(db, 'code_secret', randomBytes(32).toString('base64url'));
  return Object.freeze({ ...config, codeSecret });
}
