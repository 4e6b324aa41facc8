import type { Deps, PayDeps } from '../shared/deps.js';
import type { Mode } from '../../domain/ledger.js';
import { insertAudit, listAudit } from '../../store/audit-log.js';
import { inTransaction } from '../../postgres/db.js';
import type { ActionNote } from '../shared/action-note.js';
import { spendActionToken } from '../shared/action-tokens.js';
import { findMerchant } from '../../store/merchants.js';
import * as users from '../../store/users.js';
import { refundPayment } from '../payments/refund-payment.js';
import { capturePayment } from '../payments/capture-payment.js';
import { voidPayment } from '../payments/void-payment.js';
import { redeliverNotification } from '../payments/list-notifications.js';
import { createApiPayment } from '../payments/create-api-payment.js';
import { createApiKey, revokeApiKey } from '../merchants/manage-api-keys.js';
import { readShop, rotateShopSecret, updateShop } from '../shops/manage-shops.js';
import { createOfficeUser } from './create-user.js';
import { changeOfficeUser, type UserChange } from './change-user.js';
import { assertMerchantActs } from '../merchants/merchant-acts.js';
import { AppError } from '../../domain/errors.js';
import type { Actor } from './actor.js';
import type { ApiKeyId, MerchantId, NotificationId, PaymentId, ShopId, UserId } from '../../domain/ids.js';
import { type Minor, formatAmount } from '../../domain/money.js';
import type { Phone } from '../../domain/phone.js';
import type { Role } from '../../domain/office.js';
import type { UpdateShopBody } from '../../schemas/admin.js';
import type { LinkChannel } from '../../domain/messenger.js';
import type { AuditRecord } from '../../domain/audit.js';

// every action below goes through the API's use-case and is audited with its Actor; `once` is spent in the same transaction
export type { Actor } from './actor.js';

/** The audit entry of an action, for the use-case to write in the transaction of the change (details from what it did). */
export function noteAs<R>(
  deps: Pick<Deps, 'clock'>, actor: Actor, action: string, target: string | null | ((result: R) => string), details: (result: R) => Record<string, unknown> = () => ({}),
): ActionNote<R> {
  return async (trx, result) => {
    await insertAudit(trx, {
      merchantId: actor.merchantId, userId: actor.userId, email: actor.email, action, target: typeof target === 'function' ? target(result) : target,
      ip: actor.ip, at: deps.clock.now(), details: details(result),
    });
    await spentBy(deps, actor)?.(trx, result);
  };
}

/** The note spending the actor's one-time token, for a use-case that writes its own audit entry. */
export function spentBy<R>(deps: Pick<Deps, 'clock'>, actor: Actor): ActionNote<R> | undefined {
  const once = actor.once;
  return once && ((trx, result) => spendActionToken(deps, trx, once, result));
}

// the form's token is the action's idempotency key too: a twin post finds the refund or payment it made
export const onceKey = (actor: Actor) => (actor.once ? `once:${actor.once.tokenHash.slice(0, 40)}` : undefined);

export async function officeRefund(deps: PayDeps, actor: Actor, paymentId: PaymentId, amount: Minor | undefined) {
  const { refund } = await refundPayment(deps, { paymentId, merchantId: actor.merchantId, amount, createKey: onceKey(actor) },
    noteAs(deps, actor, 'payment.refund', paymentId, (r) => ({ refund: r.id, amount: formatAmount(r.amount) })));
  return refund;
}

export async function officeCapture(deps: PayDeps, actor: Actor, paymentId: PaymentId, amount: Minor | undefined) {
  return capturePayment(deps, { paymentId, merchantId: actor.merchantId, amount },
    noteAs(deps, actor, 'payment.capture', paymentId, (p) => ({ amount: formatAmount(p.amountCaptured) })));
}

export async function officeVoid(deps: PayDeps, actor: Actor, paymentId: PaymentId) {
  return voidPayment(deps, { paymentId, merchantId: actor.merchantId }, noteAs(deps, actor, 'payment.void', paymentId));
}

export async function officeRedeliver(deps: PayDeps, actor: Actor, notificationId: NotificationId) {
  return redeliverNotification(deps, actor.merchantId, notificationId,
    noteAs(deps, actor, 'notification.redeliver', notificationId, (n) => ({ payment: n.paymentId })));
}

/** The Lyra PayLink flow from the office: a payment of the shop's first purse, with the link sent at once (SMS or WhatsApp), or shared by the merchant. */
export async function officeSendLink(deps: PayDeps, actor: Actor, input: { shopId: ShopId; amount: Minor; description?: string; phone: Phone; channel?: LinkChannel }) {
  const { purses: all } = await readShop(deps, input.shopId, actor.merchantId);
  const merchant = await findMerchant(deps.db, actor.merchantId);
  // the purse of the merchant's own mode: a live merchant's pay links are live (docs/merchant-guide.md#test-mode)
  const purses = all.filter((w) => w.mode === merchant?.mode);
  if (!merchant || !purses[0]) throw new AppError('shop_not_found', 'This shop has no payee purse');
  const { payment } = await createApiPayment(deps, merchant, {
    payee_purse: purses[0].purse, amount: input.amount, description: input.description, phone: input.phone, send: 'link',
  } as Parameters<typeof createApiPayment>[2], onceKey(actor) ?? null, noteAs(deps, actor, 'payment.link_sent', (p) => p.id, (p) => ({ amount: formatAmount(p.amount), channel: input.channel ?? 'sms' })), input.channel);
  return payment;
}

export async function officeCreateKey(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, name: string, mode?: Mode) {
  const merchant = await findMerchant(deps.db, actor.merchantId);
  if (!merchant) throw new AppError('merchant_not_found', 'No merchant');
  return createApiKey(deps, merchant, name, noteAs(deps, actor, 'api_key.create', (row) => row.id, (row) => ({ prefix: row.prefix, mode: row.mode })), mode);
}

export async function officeRevokeKey(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, id: ApiKeyId) {
  await revokeApiKey(deps, actor.merchantId, id, noteAs(deps, actor, 'api_key.revoke', id));
}

export async function officeRotateSecret(deps: Pick<Deps, 'db' | 'clock' | 'config'>, actor: Actor, shopId: ShopId, which: 'secret_key' | 'webhook_secret') {
  return rotateShopSecret(deps, shopId, actor.merchantId, which, noteAs(deps, actor, `shop.rotate_${which}`, shopId));
}

export async function officeUpdateShop(deps: Parameters<typeof updateShop>[0], actor: Actor, shopId: ShopId, body: UpdateShopBody, logoBytes?: Buffer) {
  return updateShop(deps, shopId, actor.merchantId, body, noteAs(deps, actor, 'shop.update', shopId, () => ({ fields: Object.keys(body) })), logoBytes);
}

export async function officeCreateUser(deps: Pick<Deps, 'db' | 'clock' | 'config'>, actor: Actor, email: string, role: Role) {
  return createOfficeUser(deps, actor.merchantId, { email, role, by: actor }, spentBy(deps, actor));
}

export async function officeRequireTotp(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, required: boolean) {
  await inTransaction(deps.db, async (trx) => {
    await assertMerchantActs(trx, actor.merchantId);
    await users.setRequireTotp(trx, actor.merchantId, required);
    await noteAs(deps, actor, 'users.require_totp', null, () => ({ required }))(trx, undefined);
  });
}

/** docs/merchant-guide.md#back-office "Users": an owner's change to a user of its merchant (the use-case audits it). */
export function officeChangeUser(deps: Pick<Deps, 'db' | 'clock' | 'config'>, actor: Actor, userId: UserId, change: UserChange) {
  return changeOfficeUser(deps, userId, change, actor);
}

export function listOfficeUsers(deps: Pick<Deps, 'db'>, merchantId: MerchantId) {
  return users.listUsers(deps.db, merchantId);
}

export function readAuditLog(deps: Pick<Deps, 'db'>, merchantId: MerchantId, page: { beforeId?: bigint; limit: number }): Promise<AuditRecord[]> {
  return listAudit(deps.db, merchantId, page);
}
