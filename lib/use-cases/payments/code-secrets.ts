import { createHash, createHmac } from 'node:crypto';
import type { Config } from '../../config.js';
import { ServerKeyError } from '../../domain/errors.js';

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

/** What payment_codes.code_hash keeps of a code: its HMAC under the secret it was made with, so tp_confirm can compare without the code. */
export function codeCheckHash(secret: string, paymentId: string, code: string): string {
  return createHmac('sha256', secret).update(`telepurse:code-check:${paymentId}:${code}`).digest('hex');
}

/** The typed code's HMAC under every accepted secret, by secret id: tp_confirm picks the one the current code was made with. */
export function typedCodeHashes(config: SecretConfig, paymentId: string, typed: string): Record<string, string> {
  return Object.fromEntries(acceptedCodeSecrets(config).map((s) => [codeSecretId(s), codeCheckHash(s, paymentId, typed)]));
}
