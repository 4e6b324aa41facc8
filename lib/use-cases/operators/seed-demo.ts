import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Deps } from '../shared/deps.js';
import { resetDemoOwner } from '../../store/users.js';
import { findMerchant } from '../../store/merchants.js';
import { listShopsOf, updateShopUrls } from '../../store/shops.js';
import { inTransaction } from '../../postgres/db.js';
import { createMerchant } from '../merchants/create-merchant.js';
import { createApiKey } from '../merchants/manage-api-keys.js';
import { revokeNamedKeys } from '../../store/api-keys.js';
import { readyTestPhoneWallet } from '../buyers/test-phone-wallet.js';
import type { Phone } from '../../domain/phone.js';

/** A test-mode merchant (the live demo merchant of earlier versions, mch_demoshop…, is left alone). */
export const DEMO_MERCHANT_ID = 'mch_demotest0000000000000000';
/** The succeeding test phone: refilled to 1000.00 at each payment, and outside the per-phone caps (issue 29: the demo locked newcomers out). */
export const DEMO_PHONE = '12025550101' as Phone;

/**
 * The embedded set-up's demo: a test-mode shop whose pages live at /demo on this service, paid from
 * the succeeding test phone. Test mode sends no real SMS, so no SMS cap stands in a newcomer's way.
 * Runs at every start and creates only what is missing.
 */
export async function seedDemo(deps: Deps): Promise<void> {
  const base = deps.config.publicUrl.replace(/\/$/, '');
  const now = deps.clock.now();
  const urls = { resultUrl: `${base}/demo/result`, successUrl: `${base}/demo/success`, failUrl: `${base}/demo/fail` };
  const exists = await findMerchant(deps.db, DEMO_MERCHANT_ID);
  const [shop] = exists ? await listShopsOf(deps.db, DEMO_MERCHANT_ID) : [];
  if (shop && (shop.resultUrl !== urls.resultUrl || shop.successUrl !== urls.successUrl || shop.failUrl !== urls.failUrl)) {
    await updateShopUrls(deps.db, shop.id, urls);
  }
  if (!exists) {
    await createMerchant(deps, {
      id: DEMO_MERCHANT_ID, name: 'Demo Shop', currency: 'USD', mode: 'test', hashMethod: 'sha256', ...urls, allowedHosts: [], allowFormUrls: false,
      successMethod: 'POST', failMethod: 'GET', prerequest: false, requireSignedForms: false, captureMode: 'automatic',
    });
  }
  await inTransaction(deps.db, (trx) => readyTestPhoneWallet(trx, DEMO_PHONE, 'USD', 'test', now));
  if (!exists) deps.log.info({ merchant: DEMO_MERCHANT_ID, phone: DEMO_PHONE }, 'demo shop and demo phone seeded');
}

export const DEMO_OWNER_EMAIL = 'owner@demo.telepurse.test';

/**
 * The demo's back-office owner (docs/merchant-guide.md#back-office), so a newcomer can open /office at once: created the first
 * time, given a fresh random password at every start (printed once by the start log, never stored
 * in the clear). Only the embedded demo does this, never production.
 */
export async function seedDemoOwner(deps: Pick<Deps, 'db' | 'clock'>): Promise<{ email: string; password: string }> {
  const password = randomBytes(12).toString('base64url');
  await resetDemoOwner(deps.db, { id: 'usr_demoowner00000000000000000', merchantId: DEMO_MERCHANT_ID, email: DEMO_OWNER_EMAIL, passwordHash: await hash(password), at: deps.clock.now() });
  return { email: DEMO_OWNER_EMAIL, password };
}

const DEMO_KEY_NAME = 'demo: printed at start';

/**
 * The demo merchant's test key (docs/merchant-guide.md#test-mode), printed by the start log beside the demo sign-in: a fresh
 * tp_test_ key at every start, the one of the start before revoked. Only the embedded demo does this, never production.
 */
export async function seedDemoTestKey(deps: Pick<Deps, 'db' | 'clock'>): Promise<string> {
  const merchant = await findMerchant(deps.db, DEMO_MERCHANT_ID);
  if (!merchant) throw new Error('the demo merchant is seeded first');
  const { row, key } = await createApiKey(deps, merchant, DEMO_KEY_NAME, undefined, 'test');
  await revokeNamedKeys(deps.db, DEMO_MERCHANT_ID, DEMO_KEY_NAME, row.id, deps.clock.now());
  return key;
}
