import { query, queryOne, type Db } from '../postgres/db.js';
import type { ShopId } from '../domain/ids.js';
import type { Recipient, PendingConfirmation } from '../domain/alerts.js';

/**
 * The shop's recipients become exactly `wanted`: a removed one is deleted (with its link), a new one
 * starts pending. Those kept keep their state, so saving the same list changes nothing.
 */
export async function syncRecipients(db: Db, shopId: ShopId, wanted: Recipient[], at: Date): Promise<void> {
  const kinds = wanted.map((r) => r.kind);
  const addresses = wanted.map((r) => r.address);
  await query(db,
    `with wanted as (select * from unnest(?::text[], ?::text[]) as w (kind, address)),
          gone as (delete from alert_recipients r where r.shop_id = ? and (r.kind, r.address) not in (select kind, address from wanted))
     insert into alert_recipients (shop_id, kind, address, created_at) select ?, kind, address, ? from wanted on conflict do nothing`,
    [kinds, addresses, shopId, shopId, at]);
}

/**
 * A new link for each pending recipient of these that has no live one (new, never sent, or expired),
 * in one statement under the rows' locks, so two saves at once hand out one link. Returns the hashes
 * of the links handed out.
 */
export async function claimConfirmations(db: Db, shopId: ShopId, offers: (Recipient & { tokenHash: string })[], expiresAt: Date, now: Date): Promise<string[]> {
  if (offers.length === 0) return [];
  const rows = await query<{ tokenHash: string }>(db,
    `update alert_recipients r set token_hash = o.hash, token_expires_at = ?
     from unnest(?::text[], ?::text[], ?::text[]) as o (kind, address, hash)
     where r.shop_id = ? and r.kind = o.kind and r.address = o.address and r.state = 'pending' and (r.token_expires_at is null or r.token_expires_at <= ?)
     returning r.token_hash as "tokenHash"`,
    [expiresAt, offers.map((o) => o.kind), offers.map((o) => o.address), offers.map((o) => o.tokenHash), shopId, now]);
  return rows.map((r) => r.tokenHash);
}

/** The link was not sent (a limit, or the gateway): the next save of the list may try again. */
export async function dropConfirmation(db: Db, tokenHash: string): Promise<void> {
  await query(db, `update alert_recipients set token_hash = null, token_expires_at = null where token_hash = ?`, [tokenHash]);
}

export async function findConfirmation(db: Db, tokenHash: string): Promise<PendingConfirmation | undefined> {
  return queryOne<PendingConfirmation>(db,
    `select shop_id as "shopId", kind, address, token_expires_at as "expiresAt" from alert_recipients where token_hash = ? and state = 'pending'`, [tokenHash]);
}

/** The one click: only a live link confirms, and only once (the link is gone after). */
export async function confirmRecipient(db: Db, tokenHash: string, now: Date): Promise<PendingConfirmation | undefined> {
  return queryOne<PendingConfirmation>(db,
    `update alert_recipients set state = 'confirmed', confirmed_at = ?, token_hash = null, token_expires_at = null
     where token_hash = ? and state = 'pending' and token_expires_at > ?
     returning shop_id as "shopId", kind, address, ? as "expiresAt"`,
    [now, tokenHash, now, now]);
}
