import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { api, createBuyer, createTestMerchant, lastCode } from '../helpers/merchant.js';
import { Receiver } from '../helpers/receiver.js';

type Seen = { sql: string; inTransaction: boolean };

/** Round trips and commits of a part of the flow, from knex's own query events. */
function tally(seen: Seen[]) {
  const writes = seen.filter((q) => !q.inTransaction && !/^\s*select\b/i.test(q.sql) && !/^(BEGIN|COMMIT|ROLLBACK)/.test(q.sql));
  return {
    roundTrips: seen.length,
    commits: seen.filter((q) => q.sql.startsWith('COMMIT')).length + writes.length,
  };
}

/**
 * Issue 23: what one API pay flow costs the database, counted on every run so that a change which
 * adds a round trip or a commit to the hot path is seen (the bench measures what it costs).
 * Today: create 14 round trips and 4 commits, confirm 22 and 7 (with the Result notification's record, and the
 * buyer's receipt: 3 writes in the confirm's transaction, then its SMS: read, budget counter, claim, sent, attempt);
 * 14 and 3 before receipts; before issue 23, 17 and 5, 16 and 3.
 */
describe('statements per pay flow (issue 23)', () => {
  const t = useTestApp();
  const receiver = new Receiver();
  before(() => receiver.start());
  after(() => receiver.stop());

  it('create and confirm stay within their round trips and commits (API key cached, counters in one statement)', async () => {
    const merchant = await createTestMerchant(t, { result_url: receiver.url('/result') });
    const buyer = await createBuyer(t);
    const m = api(t, merchant);
    await m.get('/balance').expect(200); // the key is looked up once, then cached for API_KEY_CACHE_MS
    const seen: Seen[] = [];
    // the dev inbox's copy of each SMS is written only outside production: not part of the flow's cost there
    const listen = (q: { sql: string; __knexTxId?: string }) => { if (!/\bdev_inbox\b/.test(q.sql)) seen.push({ sql: q.sql, inTransaction: Boolean(q.__knexTxId) }); };
    t.database.db.on('query', listen);
    try {
      const created = await m.post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201);
      const create = tally(seen.splice(0));
      await m.post(`/payments/${created.body.id}/confirm`, { code: lastCode(t, buyer.phone) }).expect(200);
      await receiver.waitFor(1);
      // the delivery is recorded after the merchant answered: wait for that statement too
      // and the buyer's receipt SMS (docs/buyer-guide.md#receipts), a second delivery of the same outbox
      for (let i = 0; i < 250 && seen.filter((q) => q.sql.includes('notification_attempts')).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      const confirm = tally(seen.splice(0));
      console.log(`      create: ${create.roundTrips} round trips, ${create.commits} commits; confirm: ${confirm.roundTrips} round trips, ${confirm.commits} commits`);
      assert.ok(create.roundTrips <= 14 && create.commits <= 4, JSON.stringify(create));
      assert.ok(confirm.roundTrips <= 22 && confirm.commits <= 7, JSON.stringify(confirm));
    } finally {
      t.database.db.off('query', listen);
    }
  });
});
