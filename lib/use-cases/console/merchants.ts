import type { Deps, PayDeps } from '../shared/deps.js';
import { listMerchantAccounts, readMerchantAccount, updateMerchantAccount } from '../merchants/manage-merchants.js';
import { readShop, updateShop } from '../shops/manage-shops.js';
import { createOfficeUser } from '../office/create-user.js';
import { listOfficeUsers } from '../office/actions.js';
import { readBalance } from '../payouts/read-balance.js';
import { consoleNote, type ConsoleActor } from './actor.js';
import type { MerchantId, ShopId, UserId } from '../../domain/ids.js';
import type { Role } from '../../domain/office.js';
import type { AdminUpdateShopBody, UpdateMerchantBody } from '../../schemas/admin.js';
import { formatAmount } from '../../domain/money.js';

/** The console's list of merchants, by id, a page at a time. */
export function listConsoleMerchants(deps: Pick<Deps, 'db'>, page: { limit: number; after?: MerchantId }) {
  return listMerchantAccounts(deps, page);
}

/** A merchant with each shop (its fee and purses), its payout settings and balances, and its users. */
export async function readConsoleMerchant(deps: Pick<Deps, 'db' | 'clock'>, id: MerchantId) {
  const account = await readMerchantAccount(deps, id);
  const [shops, users, balances] = await Promise.all([
    Promise.all(account.shops.map((s) => readShop(deps, s.id))), listOfficeUsers(deps, id), readBalance(deps, id),
  ]);
  return { merchant: account.merchant, shops, users, balances };
}

/** Suspend (no new payments, keys refused, no scheduled payouts) or activate a merchant, audited with the operator. */
export async function consoleSetMerchantStatus(deps: Pick<Deps, 'db' | 'apiKeys' | 'clock'>, actor: ConsoleActor, id: MerchantId, status: 'active' | 'suspended') {
  return updateMerchantAccount(deps, id, { status }, consoleNote(deps, actor, `merchant.${status === 'active' ? 'activate' : 'suspend'}`, { target: id, merchantId: id }));
}

/** A merchant's payout schedule, minimum, delay and bank account (docs/merchant-guide.md#balance-payouts-and-statements): the admin API's update. */
export async function consoleSetPayoutSettings(deps: Pick<Deps, 'db' | 'apiKeys' | 'clock'>, actor: ConsoleActor, id: MerchantId, body: UpdateMerchantBody) {
  return updateMerchantAccount(deps, id, {
    payoutSchedule: body.payout_schedule, payoutMinimum: body.payout_minimum, payoutDelayDays: body.payout_delay_days, payoutAccount: body.payout_account,
  }, consoleNote(deps, actor, 'merchant.payout_settings', { target: id, merchantId: id }, () => ({
    schedule: body.payout_schedule, minimum: body.payout_minimum === undefined ? undefined : formatAmount(body.payout_minimum), delay_days: body.payout_delay_days,
  })));
}

/** A shop's fee (docs/merchant-guide.md#fees): the admin API's shop update with only the fee. */
export async function consoleSetFee(deps: PayDeps, actor: ConsoleActor, merchantId: MerchantId, shopId: ShopId, fee: NonNullable<AdminUpdateShopBody['fee']>) {
  const { shop } = await readShop(deps, shopId, merchantId);
  return updateShop(deps, shopId, undefined, { fee } as AdminUpdateShopBody,
    consoleNote(deps, actor, 'shop.fee', { target: shopId, merchantId: shop.merchantId }, () => ({ percent_bp: fee.percent, fixed: formatAmount(fee.fixed ?? 0n), refund: fee.refund ?? null })));
}

/** A merchant's back-office user, invited by the operator: the office set-up link comes back to be shown once. */
export function consoleInviteUser(deps: Pick<Deps, 'db' | 'clock' | 'config'>, actor: ConsoleActor, merchantId: MerchantId, input: { email: string; role: Role }) {
  return createOfficeUser(deps, merchantId, input, consoleNote<UserId>(deps, actor, 'user.invite', { target: input.email, merchantId }, () => ({ role: input.role })));
}
