import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ServerKeyError } from './errors.js';

/**
 * Merchant secrets (secret keys, webhook secrets) are needed in the clear to sign, so they cannot be
 * hashed like API keys; they are kept sealed with a server key instead (AES-256-GCM), so a database
 * dump alone does not let anyone sign as a merchant. A sealed value names its key
 * (`v2.<key id>.<iv|tag|ciphertext>`), so during a rotation values open with any key of the ring, and
 * is bound to its place (table, column, row) as additional data, so a value copied to another row
 * does not open there. `v1` values, sealed before that binding, still open until re-sealed.
 */
export type Keyring = { current: Buffer; others: Buffer[] };

/** Where a sealed value lives: it opens only there. */
export type SealedPlace = { table: string; column: string; id: string };

const VERSION = 'v2';

/** Why a sealed value does not open: a key the ring lacks, or a value moved or altered. */
export class SealedSecretError extends ServerKeyError {}

const keyOf = (s: string) => createHash('sha256').update(`telepurse-data-key:${s}`, 'utf8').digest();

/** Any long string makes a key: its SHA-256 is the AES-256 key. The first seals; all open. */
export function keyringOf(dataKey: string, ...others: (string | null | undefined)[]): Keyring {
  return { current: keyOf(dataKey), others: others.filter((k): k is string => !!k).map(keyOf) };
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function placeOf(p: SealedPlace): Buffer {
  return Buffer.from(`telepurse:${p.table}.${p.column}:${p.id}`, 'utf8');
}

export function seal(keyring: Keyring, plain: string, place: SealedPlace): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.current, iv);
  cipher.setAAD(placeOf(place));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${VERSION}.${keyId(keyring.current)}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
}

/** Sealed with the ring's current key, bound to its place: nothing for a re-seal to do. */
export function isSealedWith(keyring: Keyring, value: string): boolean {
  return value.startsWith(`${VERSION}.${keyId(keyring.current)}.`);
}

export function isSealed(value: string): boolean {
  return /^v[12]\.[0-9a-f]{8}\./.test(value);
}

/** Whether some key of the ring sealed the value (without opening it). */
export function hasKeyFor(keyring: Keyring, value: string): boolean {
  const id = value.split('.')[1];
  return [keyring.current, ...keyring.others].some((k) => keyId(k) === id);
}

/** The secret in the clear; throws SealedSecretError when no key of the ring sealed it, or it was sealed for another place. */
export function open(keyring: Keyring, sealed: string, place: SealedPlace): string {
  const [version, id, payload] = sealed.split('.');
  const key = [keyring.current, ...keyring.others].find((k) => keyId(k) === id);
  if ((version !== 'v1' && version !== VERSION) || !key || !payload) {
    throw new SealedSecretError(`a secret sealed with an unknown key (${id ?? '?'}): check DATA_KEY, DATA_KEY_PREVIOUS and DATA_KEY_NEXT`);
  }
  const bytes = Buffer.from(payload, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    if (version === VERSION) decipher.setAAD(placeOf(place));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedSecretError(`a sealed secret does not open in ${place.table}.${place.column} of ${place.id}: it was sealed for another row or altered`);
  }
}
