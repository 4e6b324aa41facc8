import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant } from '../helpers/merchant.js';
import { officeUser } from '../helpers/office.js';

/**
 * What a signed-in office request costs before its page reads anything: one query, the session with its user and the
 * merchant's standing (suspended, mode) joined in (docs/merchant-guide.md#back-office). Counted from knex's own query events.
 */
describe('statements of a signed-in office request', () => {
  const t = useTestApp();

  async function statementsOf(send: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const listen = (q: { sql: string }) => seen.push(q.sql);
    t.database.db.on('query', listen);
    try {
      await send();
    } finally {
      t.database.db.off('query', listen);
    }
    return seen;
  }

  it('reads the session, its user and the merchant\'s standing in one query, and the merchant\'s status no more', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner');
    // the account page reads nothing of the merchant's business: what it costs is the guard's and its own user's passkeys
    const seen = await statementsOf(() => owner.agent.get('/office/account').expect(200));
    const sessionReads = seen.filter((sql) => /\bfrom sessions\b/.test(sql));
    assert.equal(sessionReads.length, 1, seen.join('\n'));
    assert.match(sessionReads[0]!, /join users u .* left join merchants m/s);
    assert.deepEqual(seen.filter((sql) => /\bfrom\s+(users|merchants)\b/.test(sql) && !/\bfrom sessions\b/.test(sql)), [], 'no separate user or merchant read');
    // before the merchant's standing was joined in: 3 (session, user, merchant), and the passkeys
    assert.ok(seen.length <= 2, `GET /office/account: ${seen.length} statements\n${seen.join('\n')}`);
  });

  it('the standing read with the session still makes a suspended merchant\'s office read only, and a test merchant\'s office test', async () => {
    const merchant = await createTestMerchant(t);
    const owner = await officeUser(t, merchant, 'owner');
    assert.doesNotMatch((await owner.agent.get('/office/balance').expect(200)).text, /data-suspended/);
    await t.admin('patch', `/admin/v1/merchants/${merchant.id}`).send({ status: 'suspended' }).expect(200);
    assert.match((await owner.agent.get('/office/balance').expect(200)).text, /data-suspended/);
    const refused = await owner.agent.post('/office/keys').type('form').send({ _csrf: owner.csrf, name: 'x' }).expect(403);
    assert.match(refused.text, /This merchant account is suspended/);

    const test = await createTestMerchant(t, { mode: 'test' });
    const testOwner = await officeUser(t, test, 'owner');
    const page = (await testOwner.agent.get('/office/balance').expect(200)).text;
    assert.match(page, /role="status" data-mode="test"/, 'a test merchant\'s office shows test data without ?mode=test');
    assert.doesNotMatch(page, /data-mode-switch/, 'and has no live side to switch to');
  });
});
