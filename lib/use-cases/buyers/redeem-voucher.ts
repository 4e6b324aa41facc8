import type { Deps } from '../shared/deps.js';
import { inTransaction, type Knex } from '../../postgres/db.js';
import * as vouchers from '../../store/vouchers.js';
import * as wallets from '../../store/wallets.js';
import { redeemInto } from '../../ledger/vouchers.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { assertCanReceive, assertRedeemable, normalizeVoucherCode, voucherCodeHash, type Voucher, type VoucherId } from '../../domain/voucher.js';
import type { Wallet } from '../../domain/wallet.js';
import type { Phone } from '../../domain/phone.js';
import type { Currency } from '../../domain/currency.js';
import type { Minor } from '../../domain/money.js';
import { acceptedCodeSecrets } from '../payments/code-secrets.js';
import { consumeBoth, giveBack } from '../limits/rate-limit.js';
import { ensurePhoneWallet } from './create-wallet.js';

export type RedeemInput = { phone: Phone; code: string; /** Already keyed: IPv4, or IPv6 /64 (clientAddress()). */ clientAddress: string; now?: Date };
export type Redeemed = { voucherId: VoucherId; purse: string; amount: Minor; currency: Currency; balance: Minor };

// a code that names no voucher (or a void one) is a guess; the others were real codes and give their hit back
const GUESSES = new Set(['voucher_invalid']);

/**
 * Redeems a voucher code into the phone's wallet of its currency (docs/buyer-guide.md#vouchers): float →
 * wallet, exactly once however many redeem it at the same moment (the voucher's row lock decides).
 * The wrong-code limits count every try before the code is looked up, and give back the hit of a real one.
 */
export async function redeemVoucher(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'observer'>, input: RedeemInput): Promise<Redeemed> {
  const at = input.now ?? deps.clock.now();
  const counted = { ...deps, clock: { now: () => at } };
  await consumeBoth(counted, ['voucher_wrong_address', input.clientAddress], ['voucher_wrong_phone', input.phone]);
  try {
    const normalized = normalizeVoucherCode(input.code);
    if (!normalized) throw new AppError('voucher_invalid', 'This is not a voucher code: 16 letters and digits, XXXX-XXXX-XXXX-XXXX');
    const hashes = acceptedCodeSecrets(deps.config).map((secret) => voucherCodeHash(secret, normalized));
    const result = await inTransaction(deps.db, (trx) => redeemLocked(deps, trx, hashes, input.phone, at));
    await giveBothBack(counted, input, at);
    return result;
  } catch (err) {
    if (!(isAppError(err) && GUESSES.has(err.code))) await giveBothBack(counted, input, at);
    throw err;
  }
}

async function redeemLocked(deps: Pick<Deps, 'config'>, trx: Knex.Transaction, hashes: string[], phone: Phone, at: Date): Promise<Redeemed> {
  const voucher = await vouchers.lockByHash(trx, hashes);
  if (!voucher) throw new AppError('voucher_invalid', 'This voucher code is not valid');
  assertRedeemable(voucher, at);
  const wallet = await walletFor(deps, trx, voucher, phone, at);
  assertCanReceive(wallet);
  const { transfer } = await redeemInto(trx, voucher, wallet.purse, at);
  await vouchers.endVoucher(trx, voucher.id, { status: 'redeemed', at, transferId: transfer.id, purse: wallet.purse });
  const after = (await wallets.findWallet(trx, wallet.purse))!;
  return { voucherId: voucher.id, purse: wallet.purse, amount: voucher.amount, currency: voucher.currency, balance: after.balance };
}

/** The phone's wallet in the voucher's currency and mode; opened here only when WALLET_SIGNUP=open. */
async function walletFor(deps: Pick<Deps, 'config'>, trx: Knex.Transaction, voucher: Voucher, phone: Phone, at: Date): Promise<Wallet> {
  const existing = await wallets.findWalletByPhone(trx, phone, voucher.currency, voucher.mode);
  if (existing) return existing;
  if (deps.config.walletSignup !== 'open') {
    throw new AppError('no_wallet', `No ${voucher.currency} wallet is linked to this phone; the operator opens wallets here`);
  }
  // two first redemptions of one phone at once: the phone's lock makes one wallet
  return ensurePhoneWallet(trx, { phone, currency: voucher.currency, mode: voucher.mode, at });
}

async function giveBothBack(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'observer'>, input: RedeemInput, at: Date): Promise<void> {
  await giveBack(deps, 'voucher_wrong_address', input.clientAddress, at);
  await giveBack(deps, 'voucher_wrong_phone', input.phone, at);
}
