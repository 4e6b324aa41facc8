import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant } from '../helpers/merchant.js';
import { Receiver } from '../helpers/receiver.js';
import { captureLogger } from '../helpers/log-capture.js';
import { createApp } from '../../lib/app.js';
import { insertNotification } from '../../lib/store/notifications.js';
import { newId } from '../../lib/domain/ids.js';
import { query } from '../../lib/postgres/db.js';

describe('notification sweepers on several instances', function () {
  this.timeout(120_000);
  const receiver = new Receiver();
  const t = useTestApp();
  before(() => receiver.start());
  after(() => receiver.stop());

  it('two sweepers over 1,000 due notifications: every one delivered, none twice', async () => {
    const merchant = await createTestMerchant(t);
    const now = t.clock.now();
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const id = newId('ntf');
      ids.push(id);
      await insertNotification(t.database.db, {
        id, merchantId: merchant.id, paymentId: null, kind: 'result', eventType: null, url: receiver.url(),
        contentType: 'application/x-www-form-urlencoded', body: `LMI_TELEPAT_ORDERID=${id}`, createdAt: now, nextAttemptAt: now,
      });
    }
    const second = createApp({ config: t.config, db: t.database.db, clock: t.clock, log: captureLogger() });
    const [a, b] = await Promise.all([t.app.notifier.sweep(), second.notifier.sweep()]);
    assert.equal(a + b, 1000);
    assert.ok(a > 0 && b > 0, `both sweepers worked (${a} and ${b})`);

    const counts = new Map<string, number>();
    for (const r of receiver.requests) counts.set(r.body, (counts.get(r.body) ?? 0) + 1);
    assert.equal(receiver.requests.length, 1000);
    assert.ok(ids.every((id) => counts.get(`LMI_TELEPAT_ORDERID=${id}`) === 1));
    const [pending] = await query<{ n: number }>(t.database.db, `select count(*)::int as n from notifications where status <> 'delivered'`);
    assert.equal(pending!.n, 0);
    assert.equal(await second.notifier.sweep(), 0);
    await second.stop();
  });
});
