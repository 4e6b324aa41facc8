import type { Knex } from '../../postgres/db.js';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { SmsDispatcher } from '../../sms/dispatch.js';
import type { Messenger } from '../../messenger/dispatch.js';
import type { Notifier } from '../messages/notifier.js';
import type { Mailer } from '../../notify/mailer.js';
import type { ApiKeyCache } from '../merchants/api-key-cache.js';

/** What every use-case may reach: plain values built once in app.ts (or by the CLI). */
/** What the use-cases tell /metrics about events only they see: a limit refusing, money going back. */
export type ServiceObserver = {
  rateLimited(limit: string): void;
  refunded(currency: string, amountMinor: bigint): void;
  /** A payment the buyer approved, by a code or by a passkey (docs/security.md#passkeys): the second saves a code SMS. */
  paymentApproved?(by: 'code' | 'passkey'): void;
};

/** `apiKeys`: the service's short-lived key cache; tools without one look every key up. */
export type Deps = { db: Knex; clock: Clock; config: Config; log: Logger; observer?: ServiceObserver; apiKeys?: ApiKeyCache };

/** Use-cases of the pay flow also send SMS and hand fresh outbox rows to the notifier; alert confirmations send mail. */
/** `messenger`: WhatsApp for pay links and receipts (docs/merchant-guide.md#pay-links-by-whatsapp); tools without one send SMS only. */
export type PayDeps = Deps & { sms: SmsDispatcher; notifier: Notifier; random: () => number; mailer: Mailer; messenger?: Messenger };
