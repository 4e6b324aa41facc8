import { randomBytes } from 'node:crypto';
import type { Db } from '../../postgres/db.js';
import { keepServiceSecret } from '../../store/service-secrets.js';
import type { Config } from '../../config.js';

/**
 * Outside production CODE_SECRET may be left out (docs/operator-guide.md#several-instances-and-database-outages): one generated secret is kept in the
 * database so that a restart or a second instance derives the same codes and CSRF tokens.
 * Production requires it, so there a dump of the database alone reveals no live code. The same goes
 * for DATA_KEY, the key merchant secrets are sealed with.
 */
export async function resolveServiceSecrets(db: Db, config: Config): Promise<Config> {
  const codeSecret = config.codeSecret ?? (await keepServiceSecret(db, 'code_secret', randomBytes(32).toString('base64url')));
  // the key that seals merchant secrets at rest: DATA_KEY, or the same kind of kept secret outside production
  const dataKey = config.dataKey ?? (await keepServiceSecret(db, 'data_key', randomBytes(32).toString('base64url')));
  return Object.freeze({ ...config, codeSecret, dataKey });
}
