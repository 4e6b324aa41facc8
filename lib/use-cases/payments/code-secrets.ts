import { createHash } from 'node:crypto';
import type { Config } from '../../config.js';
import { ServerKeyError } from '../../domain/errors.js';
import { codesEqual, deriveCode } from '../../domain/code.js';

type SecretConfig = Pick<Config, 'codeSecret' | 'codeSecretPrevious' | 'codeSecretNext'>;

/** A short name of a secret, stored with each code: it tells which secret to check the code against, and reveals nothing of it. */
export function codeSecretId(secret: string): string {
  return createHash('sha256').update(`telepurse-code-secret-id:${secret}`, 'utf8').digest('hex').slice(0, 8);
}

/** CODE_SECRET: the one secret new codes and CSRF tokens are made from. */
export function currentCodeSecret(config: SecretConfig): { secret: string; id: string } {
  if (!config.codeSecret) throw new Error('CODE_SECRET is not configured');
  return { secret: config.codeSecret, id: codeSecretId(config.codeSecret) };
}

/** Every secret whose codes and tokens are accepted: CODE_SECRET, and during a rotation CODE_SECRET_PREVIOUS or CODE_SECRET_NEXT. */
export function acceptedCodeSecrets(config: SecretConfig): string[] {
  return [currentCodeSecret(config).secret, config.codeSecretPrevious, config.codeSecretNext].filter((s): s is string => !!s);
}

/**
 * The secret a code was made with, by the id stored with it (a code from before ids: every accepted
 * one). One this instance lacks is no wrong try: the buyer's code may be right, so it is a ServerKeyError.
 */
export function codeSecretsFor(config: SecretConfig, secretId: string | null): string[] {
  const accepted = acceptedCodeSecrets(config);
  if (secretId === null) return accepted;
  const match = accepted.filter((s) => codeSecretId(s) === secretId);
  if (!match.length) throw new ServerKeyError(`a code made with a CODE_SECRET this instance lacks (id ${secretId}): check CODE_SECRET, CODE_SECRET_PREVIOUS and CODE_SECRET_NEXT`);
  return match;
}

/** Whether the typed code is the one sent; every candidate is compared in constant time, none skipped. */
export async function codeMatches(config: SecretConfig & Pick<Config, 'codes'>, code: { paymentId: string; counter: bigint; secretId: string | null }, typed: string): Promise<boolean> {
  const expected = await Promise.all(codeSecretsFor(config, code.secretId).map((s) => deriveCode(s, code.paymentId, Number(code.counter), config.codes.length)));
  return expected.map((e) => codesEqual(e, typed)).reduce((a, b) => a || b, false);
}
