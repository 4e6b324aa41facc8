import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { assertLedgerClean, walletBalance } from '../helpers/payments.js';
import { uniquePhone } from '../helpers/builders.js';
import { rememberSecret } from '../helpers/log-capture.js';
import { query } from '../../lib/postgres/db.js';
import { redeemVoucher } from '../../lib/use-cases/buyers/redeem-voucher.js';
import { expireVouchers } from '../../lib/use-cases/vouchers/expire-vouchers.js';
import { createWallet } from '../../lib/use-cases/buyers/create-wallet.js';
import type { AppError } from '../../lib/domain/errors.js';
import type { Phone } from '../../lib/domain/phone.js';
import { freezeWallets, unfreezeWallets } from '../../lib/use-cases/buyers/freeze-wallet.js';
import { createOperator } from '../../lib/use-cases/console/operators.js';

type Issued = { id: string; code: string; amount: string; currency: string; expires_at: string | null };

describe('vouchers', function () {
  this.timeout(40_000);
  const t = useTestApp();
  let address = 0;
  // each test its own client address, so the wrong-code limit of one does not reach another
  const client = () => `198.51.100.${++address}`;

  async function issue(body: Record<string, unknown>, key?: string): Promise<{ batch_id: string; vouchers: Issued[] }> {
    const req = t.admin('post', '/admin/v1/vouchers');
    if (key) req.set('Idempotency-Key', key);
    const res = await req.send(body).expect(201);
    for (const v of res.body.vouchers) rememberSecret(v.code);
    return res.body;
  }
  const redeem = (phone: Phone, code: string, clientAddress = client()) => redeemVoucher(t.app.deps, { phone, code, clientAddress });
  const floatBalance = () => walletBalance(t, 'Z000000000007');

  it('issues a batch: codes shown once (a replay nulls them), kept only as keyed hashes, money in the float', async () => {
    const batch = await issue({ currency: 'USD', amount: '5.00', count: 3 }, 'batch-one');
    assert.match(batch.batch_id, /^vbt_/);
    assert.equal(batch.vouchers.length, 3);
    for (const v of batch.vouchers) {
      assert.match(v.code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      assert.deepEqual([v.amount, v.currency, v.expires_at], ['5.00', 'USD', null]);
    }
    assert.equal(new Set(batch.vouchers.map((v) => v.code)).size, 3);
    const dump = JSON.stringify(await query(t.database.db, 'select * from vouchers'), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    for (const v of batch.vouchers) {
      assert.ok(!dump.includes(v.code) && !dump.includes(v.code.replace(/-/g, '')), 'no code is stored');
    }
    assert.equal(await floatBalance(), '15.00');
    const replay = await t.admin('post', '/admin/v1/vouchers').set('Idempotency-Key', 'batch-one').send({ currency: 'USD', amount: '5.00', count: 3 }).expect(201);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.body.batch_id, batch.batch_id);
    assert.deepEqual(replay.body.vouchers.map((v: Issued) => v.code), [null, null, null]);
    assert.equal(await floatBalance(), '15.00', 'the replay issued nothing');
    await assertLedgerClean(t);
  });

  it('refuses a bad batch and names the field', async () => {
    const res = await t.admin('post', '/admin/v1/vouchers').send({ currency: 'USD', amount: '5.00', count: 10001 }).expect(400);
    assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), ['count']);
    const past = await t.admin('post', '/admin/v1/vouchers').send({ currency: 'USD', amount: '5.00', count: 1, expires_at: '2020-01-01T00:00:00Z' }).expect(400);
    assert.equal(past.body.errors[0].field, 'expires_at');
  });

  it('lists vouchers by batch and status, a page at a time, never with a code', async () => {
    const batch = await issue({ currency: 'EUR', amount: '1.00', count: 5 });
    const first = await t.admin('get', `/admin/v1/vouchers?batch_id=${batch.batch_id}&limit=3`).expect(200);
    assert.equal(first.body.data.length, 3);
    assert.equal(first.body.has_more, true);
    const second = await t.admin('get', `/admin/v1/vouchers?batch_id=${batch.batch_id}&limit=3&cursor=${first.body.next_cursor}`).expect(200);
    assert.equal(second.body.data.length, 2);
    const ids = [...first.body.data, ...second.body.data].map((v: { id: string }) => v.id).sort();
    assert.deepEqual(ids, batch.vouchers.map((v) => v.id).sort());
    assert.ok(!JSON.stringify(first.body).includes('"code"'));
    assert.deepEqual(new Set(first.body.data.map((v: { status: string }) => v.status)), new Set(['active']));
    const bad = await t.admin('get', '/admin/v1/vouchers?status=spent').expect(400);
    assert.equal(bad.body.errors[0].field, 'status');
  });

  it('redeems a code typed in any case, with or without hyphens, I/L/O for 1/1/0, into a new wallet; once', async () => {
    const [v] = (await issue({ currency: 'USD', amount: '7.50', count: 1 })).vouchers;
    const buyer = uniquePhone();
    const typed = ` ${v!.code.toLowerCase().replace(/-/g, ' ').replace(/1/g, 'l').replace(/0/g, 'o')} `;
    const done = await redeem(buyer, typed);
    assert.deepEqual([done.voucherId, done.amount, done.currency, done.balance], [v!.id, 750n, 'USD', 750n]);
    assert.equal(await walletBalance(t, done.purse), '7.50');
    const again = await redeem(uniquePhone(), v!.code).catch((e: AppError) => e);
    assert.equal((again as AppError).code, 'voucher_redeemed');
    const [row] = await query<{ status: string; redeemed_purse: string }>(t.database.db, 'select status, redeemed_purse from vouchers where id = ?', [v!.id]);
    assert.deepEqual([row!.status, row!.redeemed_purse], ['redeemed', done.purse]);
    const [transfer] = await query<{ kind: string; key: string }>(t.database.db, `select kind, key from transfers where key like 'voucher:%' and metadata->>'voucher' = ?`, [v!.id]);
    assert.deepEqual([transfer!.kind, transfer!.key], ['voucher', `voucher:${v!.id}:redeem`]);
    await assertLedgerClean(t);
  });

  it('pays out a code exactly once when twenty phones redeem it at the same moment', async () => {
    const [v] = (await issue({ currency: 'USD', amount: '3.00', count: 1 })).vouchers;
    const before = await floatBalance();
    const phones = Array.from({ length: 20 }, () => uniquePhone());
    const outcomes = await Promise.allSettled(phones.map((p) => redeem(p, v!.code)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    assert.equal(won.length, 1);
    const codes = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as AppError).code);
    assert.deepEqual(new Set(codes), new Set(['voucher_redeemed']));
    assert.equal(BigInt((await floatBalance()).replace('.', '')), BigInt(before.replace('.', '')) - 300n);
    await assertLedgerClean(t);
  });

  it('redeems into the existing wallet; refuses a phone without one when WALLET_SIGNUP is closed', async () => {
    const [a, b] = (await issue({ currency: 'USD', amount: '2.00', count: 2 })).vouchers;
    const buyer = uniquePhone();
    const wallet = await createWallet(t.app.deps, { currency: 'USD', mode: 'live', phone: buyer });
    assert.equal((await redeem(buyer, a!.code)).purse, wallet.purse);
    const closed = { ...t.app.deps, config: { ...t.app.deps.config, walletSignup: 'closed' as const } };
    const refused = await redeemVoucher(closed, { phone: uniquePhone(), code: b!.code, clientAddress: client() }).catch((e: AppError) => e);
    assert.equal((refused as AppError).code, 'no_wallet');
    const [row] = await query<{ status: string }>(t.database.db, 'select status from vouchers where id = ?', [b!.id]);
    assert.equal(row!.status, 'active', 'a refused redemption leaves the voucher as it was');
  });

  it('refuses to redeem into a frozen wallet (the phone may be in a finder\'s hands); the voucher waits for its owner', async () => {
    const [v] = (await issue({ currency: 'USD', amount: '6.00', count: 1 })).vouchers;
    const buyer = uniquePhone();
    const wallet = await createWallet(t.app.deps, { currency: 'USD', mode: 'live', phone: buyer });
    const operator = await createOperator(t.app.deps, { email: 'support@op.example', role: 'support' }, 'test');
    const by = { kind: 'operator' as const, userId: operator.id, email: operator.email, ip: null };
    await freezeWallets(t.app.deps, { phone: buyer, by });
    const refused = await redeem(buyer, v!.code).catch((e: AppError) => e);
    assert.equal((refused as AppError).code, 'wallet_frozen');
    const [row] = await query<{ status: string }>(t.database.db, 'select status from vouchers where id = ?', [v!.id]);
    assert.equal(row!.status, 'active');
    await unfreezeWallets(t.app.deps, { phone: buyer, by });
    assert.equal((await redeem(buyer, v!.code)).purse, wallet.purse);
    await assertLedgerClean(t);
  });

  it('voids an active voucher (float → issuance), after which its code is invalid; a redeemed one cannot be voided', async () => {
    const [a, b] = (await issue({ currency: 'USD', amount: '4.00', count: 2 })).vouchers;
    const before = await floatBalance();
    const voided = await t.admin('post', `/admin/v1/vouchers/${a!.id}/void`).expect(200);
    assert.equal(voided.body.status, 'void');
    await t.admin('post', `/admin/v1/vouchers/${a!.id}/void`).expect(200);
    assert.equal(BigInt((await floatBalance()).replace('.', '')), BigInt(before.replace('.', '')) - 400n, 'voided once');
    assert.equal(((await redeem(uniquePhone(), a!.code).catch((e: AppError) => e)) as AppError).code, 'voucher_invalid');
    await redeem(uniquePhone(), b!.code);
    const late = await t.admin('post', `/admin/v1/vouchers/${b!.id}/void`).expect(409);
    assert.equal(late.body.code, 'voucher_not_active');
    await t.admin('post', '/admin/v1/vouchers/vch_nosuchvoucher0000000000000/void').expect(404);
    await assertLedgerClean(t);
  });

  it('expires vouchers past their date: refused at once, retired by the job once even when two instances run it', async () => {
    const expiresAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    const batch = await issue({ currency: 'RUB', amount: '100.00', count: 450, expires_at: expiresAt });
    t.clock.advance(3_600_000);
    const refused = await redeem(uniquePhone(), batch.vouchers[0]!.code).catch((e: AppError) => e);
    assert.equal((refused as AppError).code, 'voucher_expired');
    const [x, y] = await Promise.all([expireVouchers(t.app.deps), expireVouchers(t.app.deps)]);
    assert.equal(x + y, 450, 'each voucher expired by exactly one run');
    assert.equal(await expireVouchers(t.app.deps), 0);
    assert.equal(await walletBalance(t, 'R000000000007'), '0.00');
    const list = await t.admin('get', `/admin/v1/vouchers?batch_id=${batch.batch_id}&status=expired&limit=100`).expect(200);
    assert.equal(list.body.data.length, 100);
    const [{ n }] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from transfers where kind = 'voucher_expiry' and currency = 'RUB'`) as [{ n: number }];
    assert.equal(n, 450);
    await assertLedgerClean(t);
  });

  it('counts wrong codes before it looks: 10 a day per phone, 30 an hour per address, a right code counting nothing', async () => {
    const [good] = (await issue({ currency: 'USD', amount: '1.00', count: 1 })).vouchers;
    const guesser = uniquePhone();
    const from = client();
    for (let i = 0; i < 10; i++) {
      const e = await redeem(guesser, `AAAA-AAAA-AAAA-${String(1000 + i)}`, from).catch((err: AppError) => err);
      assert.equal((e as AppError).code, 'voucher_invalid');
    }
    const eleventh = await redeem(guesser, good!.code, from).catch((err: AppError) => err) as AppError;
    assert.equal(eleventh.code, 'rate_limited');
    assert.equal(eleventh.extra.limit, 'voucher_wrong_phone');
    assert.ok(Number(eleventh.headers['Retry-After']) > 0);
    // the refused try counted too (11 from this address); a right code from it counts none
    await redeem(uniquePhone(), good!.code, from);
    for (let i = 0; i < 18; i++) await redeem(uniquePhone(), 'not a code', from).catch(() => undefined);
    const last = await redeem(uniquePhone(), 'not a code', from).catch((err: AppError) => err) as AppError;
    assert.equal(last.code, 'voucher_invalid', 'the 30th wrong code of the hour is still looked at');
    const over = await redeem(uniquePhone(), 'not a code', from).catch((err: AppError) => err) as AppError;
    assert.equal(over.extra.limit, 'voucher_wrong_address');
    t.clock.advance(3_600_000);
    const later = await redeem(uniquePhone(), 'not a code', from).catch((err: AppError) => err) as AppError;
    assert.equal(later.code, 'voucher_invalid', 'a new hour, a new count');
  });

  it('the ledger check proves the float holds exactly the active vouchers', async () => {
    await issue({ currency: 'UAH', amount: '9.00', count: 2 });
    await assertLedgerClean(t);
    const [v] = await query<{ id: string }>(t.database.db, `select id from vouchers where currency = 'UAH' limit 1`);
    await query(t.database.db, `update vouchers set status = 'void', ended_at = now() where id = ?`, [v!.id]);
    const check = await t.admin('get', '/admin/v1/ledger/check').expect(200);
    assert.equal(check.body.ok, false);
    assert.deepEqual(check.body.problems.voucherFloatMismatches, [{ currency: 'UAH', mode: 'live', floatWallet: '1800', activeVouchers: '900' }]);
    await query(t.database.db, `update vouchers set status = 'active', ended_at = null where id = ?`, [v!.id]);
    await assertLedgerClean(t);
  });
});
