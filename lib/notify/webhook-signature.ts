import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks (standardwebhooks.com): `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` with
 * the secret's bytes. Several secrets (a rotation's old and new) give several signatures, space
 * separated, as the scheme allows: a receiver with either secret verifies.
 */
export function webhookHeaders(secrets: string | string[], id: string, body: string, at: Date): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signatures = [secrets].flat().map((secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  });
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
