import type Router from '@koa/router';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { listShops, readShop } from '../../use-cases/shops/manage-shops.js';
import { listApiKeys } from '../../use-cases/merchants/manage-api-keys.js';
import { listOfficeUsers, officeCreateKey, officeCreateUser, officeRequireTotp, officeRevokeKey, officeRotateSecret, officeSendLink, officeUpdateShop, readAuditLog } from '../../use-cases/office/actions.js';
import { moneyRoutes } from './money-routes.js';
import { shopSettingsRoutes } from './shop-settings-routes.js';
import { shopBrandRoutes } from './shop-brand-routes.js';
import { parseInput } from '../../schemas/parse.js';
import { keyForm, linkForm, shopForm, userForm } from '../../schemas/office.js';
import { apiKeyIdParam } from '../../schemas/payments.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { e164 } from '../../domain/phone.js';
import { ALERT_EVENTS } from '../../domain/alerts.js';
import { LINK_CHANNELS } from '../../domain/messenger.js';
import { payLinkShare } from '../../use-cases/payments/share-pay-link.js';
import { RECEIPT_CHANNELS, type ReceiptChannel } from '../../domain/receipt.js';
import { alertsInput } from '../../schemas/common.js';
import { shopIdOf } from '../shared/path-ids.js';
import { confirmThenAct } from '../shared/confirm-then-act.js';
import { actorOnce, allow, shownBesideForm } from './guard.js';
import { field, formOf } from './form.js';
import type { OfficeView } from './view.js';
import type { Payment } from '../../domain/payment.js';

/** Pay links, balance and payouts, shops and keys, users and the audit log (docs/merchant-guide.md#back-office). */
export function manageRoutes(router: Router<AppState>, deps: PayDeps, view: OfficeView) {
  linkRoutes(router, deps, view);
  moneyRoutes(router, deps, view);
  shopRoutes(router, deps, view);
  alertRoutes(router, deps, view);
  shopSettingsRoutes(router, deps, view, (d) => ({ alertEvents: ALERT_EVENTS, receiptChannels: receiptChannels(d) }));
  shopBrandRoutes(router, deps, view, (d) => ({ alertEvents: ALERT_EVENTS, receiptChannels: receiptChannels(d) }));
  userRoutes(router, deps, view);
}

function linkRoutes(router: Router<AppState>, deps: PayDeps, view: OfficeView) {
  const page = async (ctx: AppContext, extra: Record<string, unknown> = {}, status = 200) => {
    const office = allow(ctx, 'send_link');
    // docs/merchant-guide.md#sharing-a-pay-link-from-your-phone: WhatsApp only where the operator set it up
    const channels = LINK_CHANNELS.filter((c) => c !== 'whatsapp' || deps.messenger?.configured);
    view(ctx, './office-link', { shops: (await listShops(deps, office.actor.merchantId)).map((s) => s.shop), channels, values: {}, ...extra }, status);
  };
  router.get('/links/new', (ctx) => page(ctx));
  router.post('/links/new', async (ctx) => {
    const office = allow(ctx, 'send_link');
    const form = formOf(ctx);
    const values = Object.fromEntries(['shop_id', 'amount', 'description', 'phone', 'channel'].map((n) => [n, field(form, n, 255)]));
    try {
      const input = parseInput(linkForm, { ...values, description: values.description || undefined, channel: values.channel || undefined }, 'form');
      const payment = await officeSendLink(deps, actorOnce(ctx, (p: Payment) => `/office/payments/${p.id}`), { shopId: input.shop_id, amount: input.amount, description: input.description, phone: input.phone, channel: input.channel });
      if (input.channel === 'share') return await page(ctx, { share: await payLinkShare(deps, payment), sent: payment.id, values: { channel: 'share' } });
      const done = input.channel === 'whatsapp' ? 'messenger.done.whatsapp' : 'office.done.link';
      await page(ctx, { flash: office.t(done, { phone: e164(input.phone) }), sent: payment.id, values: { channel: input.channel } });
    } catch (err) {
      if (!shownBesideForm(err)) throw err;
      await page(ctx, { values, problem: office.t('office.error.invalid', { detail: err.message }) }, err.status);
    }
  });
}

function shopRoutes(router: Router<AppState>, deps: PayDeps, view: OfficeView) {
  const list = async (ctx: AppContext, extra: Record<string, unknown> = {}) => {
    const office = allow(ctx, 'read');
    const [shops, keys] = await Promise.all([listShops(deps, office.actor.merchantId), listApiKeys(deps, office.actor.merchantId)]);
    view(ctx, './office-shops', { shops, keys, ...extra });
  };
  router.get('/shops', (ctx) => list(ctx));
  router.post('/keys', async (ctx) => {
    const office = allow(ctx, 'manage_keys');
    const { name, mode } = parseInput(keyForm, { name: field(formOf(ctx), 'name', 100), mode: formOf(ctx).get('mode') || undefined }, 'form');
    const created = await officeCreateKey(deps, actorOnce(ctx, '/office/shops'), name ?? '', mode);
    await list(ctx, { shownOnce: { label: office.t('office.keys.created'), value: created.key } });
  });
  router.post('/keys/:id/revoke', async (ctx) => {
    const office = allow(ctx, 'manage_keys');
    const id = apiKeyIdParam.safeParse(ctx.params.id);
    if (!id.success) throw new AppError('api_key_not_found', 'No such key');
    // a refusal (an unknown key) gets a page of its own
    await confirmThenAct(ctx, view, {
      question: office.t('office.confirm.revoke', { prefix: id.data }), back: '/office/shops', done: '/office/shops',
      act: (done) => officeRevokeKey(deps, actorOnce(ctx, done), id.data),
    });
  });
  router.get('/shops/:id', async (ctx) => {
    const office = allow(ctx, 'read');
    const flash = ctx.query.saved === '1' ? office.t('office.shop.saved') : undefined;
    view(ctx, './office-shop', { ...(await readShop(deps, shopIdOf(ctx), office.actor.merchantId)), alertEvents: ALERT_EVENTS, receiptChannels: receiptChannels(deps), flash });
  });
  router.post('/shops/:id', async (ctx) => {
    const office = allow(ctx, 'manage_shops');
    const form = formOf(ctx);
    const channel = form.get('receipt_channel');
    const body = parseInput(shopForm, {
      name: field(form, 'name', 100), status: form.get('status') === 'active' ? 'active' : 'disabled', methods: form.getAll('methods'), receipt: channel ? { channel } : undefined,
    }, 'form');
    await officeUpdateShop(deps, actorOnce(ctx, savedAt(ctx)), shopIdOf(ctx), body);
    seeSaved(ctx);
  });
  router.post('/shops/:id/rotate', async (ctx) => {
    const office = allow(ctx, 'manage_shops');
    const form = formOf(ctx);
    const which = form.get('which') === 'webhook_secret' ? 'webhook_secret' : 'secret_key';
    const shopId = shopIdOf(ctx);
    if (form.get('confirmed') !== '1') {
      const { shop } = await readShop(deps, shopId, office.actor.merchantId);
      return view(ctx, './office-confirm', {
        question: office.t(`office.confirm.rotate_${which}`, { name: shop.name }), action: ctx.path, fields: [['which', which]], back: `/office/shops/${shopId}`,
      });
    }
    const rotated = await officeRotateSecret(deps, actorOnce(ctx, `/office/shops/${shopId}`), shopId, which);
    view(ctx, './office-shop', { ...rotated.view, alertEvents: ALERT_EVENTS, receiptChannels: receiptChannels(deps), shownOnce: { label: office.t(`office.shop.rotate_${which}`), value: rotated.secret } });
  });
}

// a saved setting is shown by a redirect, so a reload does not post the form again
const savedAt = (ctx: AppContext) => `/office/shops/${shopIdOf(ctx)}?saved=1`;
function seeSaved(ctx: AppContext): void {
  ctx.status = 303;
  ctx.redirect(savedAt(ctx));
}

/** docs/merchant-guide.md#alerts from the office: who hears of which events of a shop (owners). */
function alertRoutes(router: Router<AppState>, deps: PayDeps, view: OfficeView) {
  router.post('/shops/:id/alerts', async (ctx) => {
    const office = allow(ctx, 'manage_shops');
    const form = formOf(ctx);
    const lines = (name: string) => field(form, name, 3000).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    const values = { emails: field(form, 'emails', 3000), phones: field(form, 'phones', 3000) };
    try {
      const alerts = parseInput(alertsInput, { emails: lines('emails'), phones: lines('phones'), events: form.getAll('events') }, 'form');
      await officeUpdateShop(deps, actorOnce(ctx, savedAt(ctx)), shopIdOf(ctx), { alerts });
      return seeSaved(ctx);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'invalid_request') throw err;
      const current = await readShop(deps, shopIdOf(ctx), office.actor.merchantId);
      view(ctx, './office-shop', { ...current, alertEvents: ALERT_EVENTS, receiptChannels: receiptChannels(deps), alertValues: values, problem: office.t('office.error.invalid', { detail: err.message }) }, 400);
    }
  });
}

function userRoutes(router: Router<AppState>, deps: PayDeps, view: OfficeView) {
  const list = async (ctx: AppContext, extra: Record<string, unknown> = {}, status = 200) => {
    const office = allow(ctx, 'manage_users');
    view(ctx, './office-users', { users: await listOfficeUsers(deps, office.actor.merchantId), now: deps.clock.now(), ...extra }, status);
  };
  router.get('/users', (ctx) => list(ctx));
  router.post('/users', async (ctx) => {
    const office = allow(ctx, 'manage_users');
    const form = formOf(ctx);
    const input = parseInput(userForm, { email: field(form, 'email', 254).trim(), role: field(form, 'role', 10) }, 'form');
    try {
      const created = await officeCreateUser(deps, actorOnce(ctx, '/office/users'), input.email, input.role);
      await list(ctx, { created }, 201);
    } catch (err) {
      if (isAppError(err) && err.code === 'user_exists') return list(ctx, { problem: office.t('office.users.exists') }, 409);
      throw err;
    }
  });
  router.post('/users/require-totp', async (ctx) => {
    const office = allow(ctx, 'manage_users');
    await officeRequireTotp(deps, actorOnce(ctx, '/office/users'), formOf(ctx).get('require_totp') === 'on');
    ctx.status = 303;
    ctx.redirect('/office/users');
  });
  router.get('/audit', async (ctx) => {
    const office = allow(ctx, 'read_audit');
    const before = typeof ctx.query.before === 'string' && /^\d{1,18}$/.test(ctx.query.before) ? BigInt(ctx.query.before) : undefined;
    const entries = await readAuditLog(deps, office.actor.merchantId, { beforeId: before, limit: 101 });
    view(ctx, './office-audit', { entries: entries.slice(0, 100), next: entries.length > 100 ? entries[99]!.id : null });
  });
}

/** docs/buyer-guide.md#receipts: the channels a shop may pick for receipts; WhatsApp only where the operator set it up. */
function receiptChannels(deps: Pick<PayDeps, 'config'>): ReceiptChannel[] {
  return RECEIPT_CHANNELS.filter((c) => c !== 'whatsapp' || deps.config.messenger === 'whatsapp');
}
