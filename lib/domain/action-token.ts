import { createHmac, randomBytes } from 'node:crypto';
import { secretsEqual, sha256Hex } from './secrets.js';
import { HOUR_MS } from './time.js';

/** A form left open longer is refused ("reload the page"); a spent token's row is kept longer than that, then purged. */
export const ACTION_TOKEN_TTL_MS = 12 * HOUR_MS;
export const ACTION_TOKENS_KEPT_MS = 24 * HOUR_MS;

function mac(secret: string, action: string, issued: string, nonce: string): string {
  return createHmac('sha256', secret).update(`${action}\n${issued}\n${nonce}`).digest('base64url').slice(0, 32);
}

/**
 * docs/merchant-guide.md#back-office "Acting once": a token for one rendering of one action form, bound to the session (its
 * secret signs it) and to the action (the path the form posts to). Nothing is stored until it is spent.
 */
export function issueActionToken(sessionSecret: string, action: string, now: Date): string {
  const issued = now.getTime().toString(36);
  const nonce = randomBytes(12).toString('base64url');
  return `${issued}.${nonce}.${mac(sessionSecret, action, issued, nonce)}`;
}

/** The hash a posted token is kept under, when it was made for this session and action and is not too old. */
export function actionTokenHash(sessionSecret: string, action: string, token: string | null | undefined, now: Date): string | undefined {
  const parts = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{32})$/.exec(token ?? '');
  if (!parts) return undefined;
  const [, issued, nonce, signature] = parts as unknown as [string, string, string, string];
  if (!secretsEqual(signature, mac(sessionSecret, action, issued, nonce))) return undefined;
  const age = now.getTime() - parseInt(issued, 36);
  if (age > ACTION_TOKEN_TTL_MS || age < -5 * 60_000) return undefined;
  return sha256Hex(token!);
}

/** A spent one-time form token (its hash only) and where the outcome of its action is shown. */
export type SpentAction = { tokenHash: string; action: string; outcome: string; spentAt: Date };
