import assert from 'node:assert/strict';
import pg from 'pg';
import { useTestApp, type TestApp } from '../helpers/test-app.js';
import { testServerUrl } from '../helpers/database.js';
import { withDatabase } from '../../lib/postgres/database-admin.js';
import { watchPaymentChanges } from '../../lib/use-cases/payments/watch-payments.js';
import { api, createBuyer, createTestMerchant } from '../helpers/merchant.js';
import { query } from '../../lib/postgres/db.js';

/** What a fast shutdown of PostgreSQL does to every session (57P01, "terminating connection due to administrator command"). */
async function terminateBackends(t: TestApp): Promise<number> {
  const admin = new pg.Client({ connectionString: withDatabase(testServerUrl(), 'postgres') });
  admin.on('error', () => {});
  await admin.connect();
  try {
    const res = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [t.database.name]);
    return res.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('PostgreSQL ending the app\'s sessions (issue 29: an unhandled pg "error" event crashed the process)', function () {
  this.timeout(30_000);
  const t = useTestApp();

  it('survives pg_terminate_backend on its pool and its LISTEN connection, and listens again', async () => {
    const merchant = await createTestMerchant(t);
    const changes: string[] = [];
    const watcher = watchPaymentChanges(t.app.deps, (c) => changes.push(c.paymentId));
    try {
      await settle();
      await Promise.all([1, 2].map(() => query(t.database.db, 'select pg_sleep(0.05)'))); // two idle pool connections besides the LISTEN one
      const ended = await terminateBackends(t);
      assert.ok(ended >= 3, `the pool and the LISTEN connection were open (${ended} ended)`);
      await settle();
      const buyer = await createBuyer(t, '10.00');
      const p = (await api(t, merchant).post('/payments', { payee_purse: merchant.purse, amount: '1.00', phone: buyer.phone }).expect(201)).body;
      await new Promise((r) => setTimeout(r, 1500)); // the watcher listens again after a pause of one second
      await api(t, merchant).post(`/payments/${p.id}/cancel`).expect(200);
      for (let i = 0; i < 30 && !changes.includes(p.id); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(changes.includes(p.id), 'payment changes arrive again');
    } finally {
      await watcher.stop();
    }
  });

  it('survives the termination of a LISTEN connection given back to the pool at stop', async () => {
    const watcher = watchPaymentChanges(t.app.deps, () => {});
    await settle();
    await watcher.stop();
    await terminateBackends(t);
    await settle();
    await t.http.get('/ready').expect(200);
  });
});
