// Verifies a telepurse webhook (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).
// headers: the request headers (lower-case names); body: the raw body as received;
// secret: your shop's webhook secret (whsec_…).
import { createHmac, timingSafeEqual } from 'node:crypto';

export function verifyWebhook(headers, body, secret, { toleranceSeconds = 300, now = Date.now() } = {}) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  if (!id || !timestamp || Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  // during a rotation there are two signatures, one per secret: either will do
  return String(headers['webhook-signature'] ?? '').split(' ').some((signature) => {
    const [version, value] = signature.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
