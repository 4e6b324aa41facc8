import type { Deps, PayDeps } from './deps.js';
import { insertAudit, listAudit, type AuditRow } from '../store/audit-log.js';
import { findMerchant } from '../store/merchants.js';
import * as users from '../store/office-users.js';
import { refundPayment } from './refund-payment.js';
import { capturePayment } from './capture-payment.js';
import { voidPayment } from './void-payment.js';
import { redeliverNotification } from './list-notifications.js';
import { createApiPayment } from './create-api-payment.js';
import { createApiKey, revokeApiKey } from './manage-api-keys.js';
import { readShop, rotateShopSecret, updateShop } from './manage-shops.js';
import { createOfficeUser } from './create-office-user.js';
import { AppError } from '../domain/errors.js';
import type { ApiKeyId, MerchantId, NotificationId, PaymentId, ShopId, UserId } from '../domain/ids.js';
import type { Minor } from '../domain/money.js';
import type { Phone } from '../domain/phone.js';
import type { Role } from '../domain/office.js';
import { formatAmount } from '../domain/money.js';
import type { UpdateShopBody } from '../schemas/admin.js';

/** Who acts in the back office: every action below goes through the API's use-case and is audited with this. */
export type Actor = { userId: UserId; email: string; merchantId: MerchantId; ip: string | null };

async function audit(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, action: string, target: string | null, details: Record<string, unknown> = {}) {
  await insertAudit(deps.db, { merchantId: actor.merchantId, userId: actor.userId, email: actor.email, action, target, ip: actor.ip, at: deps.clock.now(), details });
}

export async function officeRefund(deps: PayDeps, actor: Actor, paymentId: PaymentId, amount: Minor | undefined) {
  const { refund } = await refundPayment(deps, { paymentId, merchantId: actor.merchantId, amount });
  await audit(deps, actor, 'payment.refund', paymentId, { refund: refund.id, amount: formatAmount(refund.amount) });
  return refund;
}

export async function officeCapture(deps: PayDeps, actor: Actor, paymentId: PaymentId, amount: Minor | undefined) {
  const payment = await capturePayment(deps, { paymentId, merchantId: actor.merchantId, amount });
  await audit(deps, actor, 'payment.capture', paymentId, { amount: formatAmount(payment.amountCaptured) });
  return payment;
}

export async function officeVoid(deps: PayDeps, actor: Actor, paymentId: PaymentId) {
  const payment = await voidPayment(deps, { paymentId, merchantId: actor.merchantId });
  await audit(deps, actor, 'payment.void', paymentId);
  return payment;
}

export async function officeRedeliver(deps: PayDeps, actor: Actor, notificationId: NotificationId) {
  const queued = await redeliverNotification(deps, actor.merchantId, notificationId);
  await audit(deps, actor, 'notification.redeliver', notificationId, { payment: queued.paymentId });
  return queued;
}

/** The Lyra PayLink flow from the office: a payment of the shop's first purse, with the link sent by SMS at once. */
export async function officeSendLink(deps: PayDeps, actor: Actor, input: { shopId: ShopId; amount: Minor; description?: string; phone: Phone }) {
  const { purses } = await readShop(deps, input.shopId, actor.merchantId);
  const merchant = await findMerchant(deps.db, actor.merchantId);
  if (!merchant || !purses[0]) throw new AppError('shop_not_found', 'This shop has no payee purse');
  const { payment } = await createApiPayment(deps, merchant, {
    payee_purse: purses[0].purse, amount: input.amount, description: input.description, phone: input.phone, send: 'link',
  } as Parameters<typeof createApiPayment>[2], null);
  await audit(deps, actor, 'payment.link_sent', payment.id, { amount: formatAmount(input.amount) });
  return payment;
}

export async function officeCreateKey(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, name: string) {
  const merchant = await findMerchant(deps.db, actor.merchantId);
  if (!merchant) throw new AppError('merchant_not_found', 'No merchant');
  const created = await createApiKey(deps, merchant, name);
  await audit(deps, actor, 'api_key.create', created.row.id, { prefix: created.row.prefix });
  return created;
}

export async function officeRevokeKey(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, id: ApiKeyId) {
  await revokeApiKey(deps, actor.merchantId, id);
  await audit(deps, actor, 'api_key.revoke', id);
}

export async function officeRotateSecret(deps: Pick<Deps, 'db' | 'clock' | 'config'>, actor: Actor, shopId: ShopId, which: 'secret_key' | 'webhook_secret') {
  const rotated = await rotateShopSecret(deps, shopId, actor.merchantId, which);
  await audit(deps, actor, `shop.rotate_${which}`, shopId);
  return rotated;
}

export async function officeUpdateShop(deps: Pick<Deps, 'db' | 'clock' | 'config'>, actor: Actor, shopId: ShopId, body: UpdateShopBody) {
  const view = await updateShop(deps, shopId, actor.merchantId, body);
  await audit(deps, actor, 'shop.update', shopId, { fields: Object.keys(body) });
  return view;
}

export async function officeCreateUser(deps: Pick<Deps, 'db' | 'clock' | 'config'>, actor: Actor, email: string, role: Role) {
  return createOfficeUser(deps, actor.merchantId, { email, role, by: actor });
}

export async function officeRequireTotp(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, required: boolean) {
  await users.setRequireTotp(deps.db, actor.merchantId, required);
  await audit(deps, actor, 'users.require_totp', null, { required });
}

export function listOfficeUsers(deps: Pick<Deps, 'db'>, merchantId: MerchantId) {
  return users.listUsers(deps.db, merchantId);
}

export function readAuditLog(deps: Pick<Deps, 'db'>, merchantId: MerchantId, page: { beforeId?: bigint; limit: number }): Promise<AuditRow[]> {
  return listAudit(deps.db, merchantId, page);
}
