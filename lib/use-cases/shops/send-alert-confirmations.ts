import { randomBytes } from 'node:crypto';
import type { PayDeps } from '../shared/deps.js';
import type { Db } from '../../postgres/db.js';
import { claimConfirmations, dropConfirmation, syncRecipients } from '../../store/alert-recipients.js';
import { insertAlertLog } from '../../store/alert-log.js';
import { insertSms } from '../../store/sms-messages.js';
import { CONFIRMATION_TTL_MS, recipientsOf, type AlertSettings, type RecipientKind } from '../../domain/alerts.js';
import { sha256Hex } from '../../domain/secrets.js';
import { consume } from '../limits/rate-limit.js';
import { admitAlertSms } from './admit-alert-sms.js';
import { isAppError } from '../../domain/errors.js';
import { newId, type ShopId } from '../../domain/ids.js';
import { maskPhone } from '../../domain/phone.js';
import { confirmationLink, confirmationMessage } from '../../notify/confirmation-message.js';
import type { Shop } from '../../domain/shop.js';

type ConfirmDeps = Pick<PayDeps, 'db' | 'clock' | 'config' | 'log' | 'observer' | 'sms' | 'mailer'>;

/** A link handed out in the transaction that saved the recipient; its token lives only in memory until sent. */
export type Confirmation = { kind: RecipientKind; address: string; token: string; tokenHash: string };

/**
 * In the transaction that saves a shop's alerts (docs/merchant-guide.md#alerts): the recipients become the list, and each
 * pending one without a live link (new, never sent, expired) gets one. Saving the same list again
 * hands out nothing; removing a recipient forgets it, so adding it back asks again.
 */
export async function syncAlertRecipients(trx: Db, shopId: ShopId, alerts: AlertSettings, now: Date): Promise<Confirmation[]> {
  const wanted = recipientsOf(alerts);
  await syncRecipients(trx, shopId, wanted, now);
  const offers = wanted.map((r) => {
    const token = randomBytes(32).toString('base64url');
    return { ...r, token, tokenHash: sha256Hex(token) };
  });
  const claimed = new Set(await claimConfirmations(trx, shopId, offers, new Date(now.getTime() + CONFIRMATION_TTL_MS), now));
  return offers.filter((o) => claimed.has(o.tokenHash));
}

/**
 * After the commit: one message per link, each counted first against the recipient's confirmations
 * a day and, for a phone, against the SMS limits of docs/merchant-guide.md#abuse-limits. A refused or failed one gives its link up
 * (the next save of the list may try again) and says why in the shop's alert log.
 */
export async function sendAlertConfirmations(deps: ConfirmDeps, shop: Shop, confirmations: Confirmation[]): Promise<void> {
  // side by side: a slow mail server must not add up its timeouts recipient by recipient
  await Promise.all(confirmations.map((c) => sendOne(deps, shop, c)));
}

async function sendOne(deps: ConfirmDeps, shop: Shop, c: Confirmation): Promise<void> {
  const log = (what: 'confirmation_sent' | 'confirmation_refused' | 'confirmation_failed', reason: string | null) =>
    insertAlertLog(deps.db, { shopId: shop.id, at: deps.clock.now(), what, kind: c.kind, address: c.address, eventType: null, reason, notificationId: null });
  const refused = await admit(deps, c);
  if (refused) {
    await dropConfirmation(deps.db, c.tokenHash);
    await log('confirmation_refused', refused);
    return;
  }
  const error = await send(deps, shop, c);
  if (error) {
    await dropConfirmation(deps.db, c.tokenHash);
    await log('confirmation_failed', error);
    deps.log.warn({ shop: shop.id, kind: c.kind, to: c.kind === 'phone' ? maskPhone(c.address) : undefined, error }, 'alert confirmation not sent');
    return;
  }
  await log('confirmation_sent', null);
}

async function admit(deps: ConfirmDeps, c: Confirmation): Promise<string | null> {
  try {
    await consume(deps, 'alert_confirmations', `${c.kind}:${c.address}`);
  } catch (err) {
    if (isAppError(err) && err.code === 'rate_limited') return 'rate_limited:alert_confirmations';
    throw err;
  }
  return c.kind === 'phone' ? admitAlertSms(deps, c.address) : null;
}

/** The message itself; null when it went out, else the error. The token never reaches a log or the database. */
async function send(deps: ConfirmDeps, shop: Shop, c: Confirmation): Promise<string | null> {
  const link = confirmationLink(deps.config.publicUrl, c.token);
  const message = confirmationMessage(shop, link);
  if (c.kind === 'email') {
    const sent = await deps.mailer.send({ to: c.address, ...message.mail });
    return sent.ok ? null : sent.error;
  }
  const sms = await insertSms(deps.db, {
    id: newId('sms'), merchantId: shop.merchantId, paymentId: null, codeId: null, mode: shop.mode, kind: 'alert', phone: c.address, lang: message.lang,
    textRedacted: message.sms.replace(c.token, '…'), createdAt: deps.clock.now(),
  });
  const sent = await deps.sms.send({ id: sms.id, phone: c.address, text: message.sms, mode: shop.mode, paymentId: null });
  return sent.ok ? null : sent.error;
}
