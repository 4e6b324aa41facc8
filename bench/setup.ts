import type { MerchantId } from '../lib/domain/ids.js';
import type { Deps } from '../lib/use-cases/shared/deps.js';
import { createMerchant } from '../lib/use-cases/merchants/create-merchant.js';
import { createWallet } from '../lib/use-cases/buyers/create-wallet.js';
import { randomBytes } from 'node:crypto';
import { connect, inTransaction, migrateLatest, type Knex } from '../lib/postgres/db.js';
import { ensureDatabase } from '../lib/postgres/database-admin.js';
import { loadConfig } from '../lib/config.js';
import { createLogger } from '../lib/log.js';
import { systemClock } from '../lib/clock.js';
import { Sink } from './sms-sink.js';
import { ensureIssuanceWallet } from '../lib/store/wallets.js';
import { postTransfer } from '../lib/ledger/transfer.js';
import { issuancePurse, SYSTEM_HOLDER_ID } from '../lib/domain/wallet.js';
import { parsePhone, type Phone } from '../lib/domain/phone.js';

export type BenchMerchant = { id: MerchantId; apiKey: string; purse: string };
export type BenchBuyer = { phone: string };

export async function createMerchants(deps: Deps, count: number, resultUrl: string): Promise<BenchMerchant[]> {
  const out: BenchMerchant[] = [];
  for (let i = 0; i < count; i++) {
    const { merchant, apiKey, purse } = await createMerchant(deps, {
      name: `Bench Shop ${i}`, currency: 'USD', mode: 'live', resultUrl, allowedHosts: [], hashMethod: 'sha256',
      prerequest: false, requireSignedForms: false, allowFormUrls: false, successMethod: 'GET', failMethod: 'GET', captureMode: 'automatic',
    });
    out.push({ id: merchant.id, apiKey, purse });
  }
  return out;
}

/** Buyers: phones (+7 903 …) with a USD wallet each, funded by one balanced transfer from the issuance account. */
export async function createBuyers(deps: Deps, count: number, balanceMinor: bigint, firstNumber = 0): Promise<BenchBuyer[]> {
  const phones = Array.from({ length: count }, (_, i) => {
    const parsed = parsePhone(`+7903${String(firstNumber + i).padStart(7, '0')}`);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.phone as Phone;
  });
  const purses: string[] = [];
  for (let i = 0; i < phones.length; i += 16) {
    const batch = await Promise.all(phones.slice(i, i + 16).map((phone) => createWallet(deps, { currency: 'USD', mode: 'live', phone })));
    purses.push(...batch.map((w) => w.purse));
  }
  const at = deps.clock.now();
  const source = issuancePurse('USD', 'live');
  // one transfer per 5,000 wallets: a statement carries at most 65,535 parameters
  for (let i = 0; i < purses.length; i += 5000) {
    const chunk = purses.slice(i, i + 5000);
    await inTransaction(deps.db, async (trx) => {
      await ensureIssuanceWallet(trx, { purse: source, holderId: SYSTEM_HOLDER_ID, currency: 'USD', mode: 'live', createdAt: at });
      await postTransfer(trx, {
        key: `bench-funding-${at.getTime()}-${i}`, kind: 'topup', currency: 'USD', mode: 'live', at,
        legs: [{ purse: source, amount: -balanceMinor * BigInt(chunk.length) }, ...chunk.map((purse) => ({ purse, amount: balanceMinor }))],
      });
    });
  }
  return phones.map((phone) => ({ phone: `+${phone}` }));
}

export type BenchDatabase = { dbUrl: string; db: Knex; sink: Sink; dataKey: string; deps: Deps };

/**
 * A migrated database of its own on the provisioned server, the local SMS and Result sink, and the
 * use-cases' deps to seed it with; what it opens is pushed onto `cleanups` (closed first to last).
 */
export async function benchDatabase(serverUrl: string, dbName: string, poolMax: number, cleanups: (() => Promise<unknown>)[]): Promise<BenchDatabase> {
  const dbUrl = await ensureDatabase(serverUrl, dbName);
  const db = connect(dbUrl, poolMax);
  cleanups.unshift(() => db.destroy());
  await migrateLatest(db);
  const sink = await new Sink().start();
  cleanups.unshift(() => sink.stop());
  // the merchants' secrets are sealed with the DATA_KEY the service will open them with
  const dataKey = randomBytes(24).toString('hex');
  const config = loadConfig({ NODE_ENV: 'development', ALLOW_PRIVATE_CALLBACKS: 'true', LOG_LEVEL: 'warn', DATA_KEY: dataKey });
  return { dbUrl, db, sink, dataKey, deps: { db, clock: systemClock, config, log: createLogger('warn') } };
}

/** Every bench shop charges `percent` (docs/merchant-guide.md#fees, kept on refunds), or nothing again with null. */
export async function setBenchFees(db: Knex, percent: number | null): Promise<void> {
  if (percent === null) await db.raw(`update shops set fee_percent_bp = null, fee_fixed = null, fee_refund = null where name like 'Bench Shop %'`);
  else await db.raw(`update shops set fee_percent_bp = ?, fee_fixed = 0, fee_refund = 'keep' where name like 'Bench Shop %'`, [Math.round(percent * 100)]);
}
