import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { api, createBuyer, createTestMerchant, lastCode } from '../helpers/merchant.js';
import { Receiver } from '../helpers/receiver.js';

type Seen = { sql: string; inTransaction: boolean };

/** Round trips and commits of a part of the flow, from knex's own query events. */
function tally(seen: Seen[]) {
  // a select that calls one of the money statements' functions (tp_confirm, tp_hit, …) writes and commits as any insert would
  const writes = seen.filter((q) => !q.inTransaction && (!/^\s*select\b/i.test(q.sql) || /\btp_\w+\(/.test(q.sql)) && !/^(BEGIN|COMMIT|ROLLBACK)/.test(q.sql));
  return {
    roundTrips: seen.length,
    commits: seen.filter((q) => q.sql.startsWith('COMMIT')).length + writes.length,
  };
}

/**
 * Issues 23 and 37: what one API pay flow costs the database, counted on every run so that a change which adds a round trip or
 * a commit to the hot path is seen (the bench measures what it costs; docs/architecture.md#money-statements has the map).
 * Issue 37's targets: create ≤ 4 round trips and ≤ 2 commits; confirm ≤ 4 and ≤ 2, the Result delivery's record included.
 * Today: create 3 and 2 (read, tp_create, the SMS's "sent"); confirm 3 and 2 (read, tp_confirm, the Result's attempt).
 * The buyer's receipt SMS, which the outbox delivers after the answer, is counted apart: 2 round trips and 2 commits (5 and 4 before
 * tp_take_sms: the message taken with the SMS budget's hit, then its outcome with the outbox's record of the attempt).
 * Before issue 37: create 14 and 4, confirm 22 and 7 with the receipt (14 and 3 before receipts); before issue 23, 17 and 5, 16 and 3.
 */
describe('statements per pay flow (issues 23 and 37)', () => {
  const t = useTestApp();
  const receiver = new Receiver();
  before(() => receiver.start());
  after(() => receiver.stop());

  async function flow(receipts: boolean) {
    const merchant = await createTestMerchant(t, { result_url: receiver.url('/result') });
    if (!receipts) await t.database.db.raw("update shops set receipt_channel = 'none' where merchant_id = ?", [merchant.id]);
    const buyer = await createBuyer(t);
    const m = api(t, merchant);
    await m.get('/balance').expect(200); // the key is looked up once, then cached for API_KEY_CACHE_MS
    const seen: Seen[] = [];
    // the dev inbox's copy of each SMS is written only outside production: not part of the flow's cost there
    const listen = (q: { sql: string; __knexTxId?: string }) => { if (!/\bdev_inbox\b/.test(q.sql)) seen.push({ sql: q.sql, inTransaction: Boolean(q.__knexTxId) }); };
    t.database.db.on('query', listen);
    try {
      const results = receiver.requests.length;
      const created = await m.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
      if (process.env.SHOW_SQL) console.log(seen.map((q) => (q.inTransaction ? '  T ' : '    ') + q.sql.slice(0, 160)).join('\n'));
      const create = tally(seen.splice(0));
      await m.post(`/payments/${created.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);
      await receiver.waitFor(results + 1);
      // the delivery is recorded after the merchant answered (and the receipt SMS's, a second delivery of the outbox): wait for them
      const attempts = receipts ? 2 : 1;
      for (let i = 0; i < 250 && seen.filter((q) => q.sql.includes('notification_attempts')).length < attempts; i++) await new Promise((r) => setTimeout(r, 20));
      if (process.env.SHOW_SQL) console.log(seen.map((q) => (q.inTransaction ? '  T ' : '    ') + q.sql.slice(0, 160)).join('\n'));
      return { create, confirm: tally(seen.splice(0)) };
    } finally {
      t.database.db.off('query', listen);
    }
  }

  it('create and confirm stay within issue 37\'s round trips and commits (the Result\'s record included)', async () => {
    const { create, confirm } = await flow(false);
    console.log(`      create: ${create.roundTrips} round trips, ${create.commits} commits; confirm with the Result's record: ${confirm.roundTrips} round trips, ${confirm.commits} commits`);
    assert.ok(create.roundTrips <= 4 && create.commits <= 2, JSON.stringify(create));
    assert.ok(confirm.roundTrips <= 4 && confirm.commits <= 2, JSON.stringify(confirm));
  });

  it('the buyer\'s receipt SMS adds its own delivery after the answer, and no more', async () => {
    const { create, confirm } = await flow(true);
    console.log(`      with the receipt SMS: create ${create.roundTrips} round trips, ${create.commits} commits; confirm and both deliveries ${confirm.roundTrips} round trips, ${confirm.commits} commits`);
    assert.ok(create.roundTrips <= 4 && create.commits <= 2, JSON.stringify(create));
    assert.ok(confirm.roundTrips <= 5 && confirm.commits <= 4, JSON.stringify(confirm));
  });
});
