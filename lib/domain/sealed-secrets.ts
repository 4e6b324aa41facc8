import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Merchant secrets (secret keys, webhook secrets) are needed in the clear to sign, so they cannot be
 * hashed like API keys; they are kept sealed with a server key instead (AES-256-GCM), so a database
 * dump alone does not let anyone sign as a merchant. A sealed value names its key
 * (`v1.<key id>.<iv|tag|ciphertext>`), so after a rotation old values still open with the previous
 * key until they are sealed again.
 */
export type Keyring = { current: Buffer; previous?: Buffer };

const VERSION = 'v1';

/** Any long string makes a key: its SHA-256 is the AES-256 key. */
export function keyringOf(dataKey: string, previous?: string | null): Keyring {
  const key = (s: string) => createHash('sha256').update(`telepurse-data-key:${s}`, 'utf8').digest();
  return { current: key(dataKey), previous: previous ? key(previous) : undefined };
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function seal(keyring: Keyring, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.current, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${VERSION}.${keyId(keyring.current)}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
}

export function isSealedWith(keyring: Keyring, value: string): boolean {
  return value.startsWith(`${VERSION}.${keyId(keyring.current)}.`);
}

export function isSealed(value: string): boolean {
  return /^v1\.[0-9a-f]{8}\./.test(value);
}

/** The secret in the clear; throws when no key of the ring sealed it (a wrong or lost DATA_KEY). */
export function open(keyring: Keyring, sealed: string): string {
  const [version, id, payload] = sealed.split('.');
  const key = [keyring.current, keyring.previous].find((k) => k && keyId(k) === id);
  if (version !== VERSION || !key || !payload) throw new Error(`a secret sealed with an unknown key (${id ?? '?'}): check DATA_KEY and DATA_KEY_PREVIOUS`);
  const bytes = Buffer.from(payload, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
