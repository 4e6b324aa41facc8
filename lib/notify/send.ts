import type { Config } from '../config.js';
import type { Notification } from '../domain/notification.js';
import type { Shop } from '../domain/shop.js';
import type { MailBody } from './alert-notices.js';
import { webhookSecretsOf } from './keyring.js';
import type { Mailer } from './mailer.js';
import { postOutbound } from './outbound-http.js';
import { webhookHeaders } from './webhook-signature.js';

/** What one delivery attempt gave; `final` means it must never be tried again. */
export type Attempt = { statusCode: number | null; error: string | null; latencyMs: number; final?: boolean };

/** An alert by mail: the body was shaped when it was written. */
export async function sendMail(mailer: Mailer, n: Notification): Promise<Attempt> {
  const started = Date.now();
  const sent = await mailer.send(JSON.parse(n.body) as MailBody);
  return { statusCode: null, error: sent.ok ? null : sent.error, latencyMs: Date.now() - started };
}

/** A Result or webhook POST; a webhook is signed with its shop's secrets (the shop is read by the caller). */
export async function postNotification(config: Config, n: Notification, shop: Shop | undefined, now: () => Date): Promise<Attempt> {
  const headers: Record<string, string> = { 'Content-Type': n.contentType };
  if (n.kind === 'webhook') {
    if (!shop) return { statusCode: null, error: 'the shop of this webhook is gone', latencyMs: 0 };
    Object.assign(headers, webhookHeaders(webhookSecretsOf(config, shop, now()), n.id, n.body, now()));
  }
  try {
    const res = await postOutbound(n.url!, { body: n.body, headers, timeoutMs: config.notifyTimeoutMs, allowPrivate: config.allowPrivateCallbacks, dnsServers: config.dnsServers });
    const ok = res.status >= 200 && res.status < 300;
    return { statusCode: res.status, error: ok ? null : `answered ${res.status}`, latencyMs: res.latencyMs };
  } catch (err) {
    return { statusCode: null, error: (err as Error).message.slice(0, 300), latencyMs: 0 };
  }
}
