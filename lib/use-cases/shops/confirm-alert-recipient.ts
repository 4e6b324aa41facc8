import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import { confirmRecipient, findConfirmation } from '../../store/alert-recipients.js';
import { insertAlertLog } from '../../store/alert-log.js';
import { findShop } from '../../store/shops.js';
import { sha256Hex } from '../../domain/secrets.js';
import type { RecipientKind } from '../../domain/alerts.js';
import type { Shop } from '../../domain/shop.js';

export type AlertLinkState = 'open' | 'confirmed' | 'expired' | 'unknown';
export type AlertLinkView = { state: AlertLinkState; shop?: Shop; kind?: RecipientKind; address?: string };

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** What a confirmation link of docs/merchant-guide.md#alerts stands for, without changing anything (the page before the click). */
export async function readAlertLink(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<AlertLinkView> {
  if (!TOKEN.test(token)) return { state: 'unknown' };
  const found = await findConfirmation(deps.db, sha256Hex(token));
  if (!found) return { state: 'unknown' };
  const shop = await findShop(deps.db, found.shopId);
  const state = found.expiresAt.getTime() > deps.clock.now().getTime() ? 'open' : 'expired';
  return { state, shop, kind: found.kind, address: found.address };
}

/** The click: a live link confirms its recipient once, and the confirmation goes into the shop's alert log. */
export async function confirmAlertLink(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<AlertLinkView> {
  if (!TOKEN.test(token)) return { state: 'unknown' };
  const now = deps.clock.now();
  const done = await inTransaction(deps.db, async (trx) => {
    const confirmed = await confirmRecipient(trx, sha256Hex(token), now);
    if (confirmed) {
      await insertAlertLog(trx, { shopId: confirmed.shopId, at: now, what: 'confirmed', kind: confirmed.kind, address: confirmed.address, eventType: null, reason: null, notificationId: null });
    }
    return confirmed;
  });
  if (done) return { state: 'confirmed', shop: await findShop(deps.db, done.shopId), kind: done.kind, address: done.address };
  const view = await readAlertLink(deps, token);
  return view.state === 'open' ? { state: 'unknown' } : view;
}
