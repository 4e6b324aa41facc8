import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, createBuyer, api, type TestMerchant } from '../helpers/merchant.js';
import { assertLedgerClean, payNow } from '../helpers/payments.js';
import { officeUser, onceOf, type OfficeUser } from '../helpers/office.js';

/** docs/merchant-guide.md#back-office "Acting once": posting the same action form twice acts once, and the second post shows the first one's result. */
describe('back office acts once per form', () => {
  const t = useTestApp({ config: { codes: { maxCodesPerPhonePerHour: 100 } } });
  const count = async (sql: string, ...args: string[]) => Number((await t.database.db.raw(sql, args)).rows[0].n);

  const post = (user: OfficeUser, path: string, fields: Record<string, string>) => user.agent.post(path).type('form').send({ _csrf: user.csrf, ...fields });

  it('a refund form posted twice, or many times at once, refunds once and both posts land on that refund', async () => {
    const merchant = await createTestMerchant(t);
    const staff = await officeUser(t, merchant, 'staff');
    const { payment } = await payNow(t, merchant, '10.00');
    const action = `/office/payments/${payment.id}/refund`;
    const refunds = () => count('select count(*) as n from refunds where payment_id = ?', payment.id);

    const once = onceOf((await staff.agent.get(`/office/payments/${payment.id}`).expect(200)).text, action);
    const first = await post(staff, action, { _once: once, amount: '1.00', confirmed: '1' }).expect(303);
    assert.match(String(first.headers.location), /done=refund&amount=1\.00&currency=USD/);
    const second = await post(staff, action, { _once: once, amount: '1.00', confirmed: '1' }).expect(303);
    assert.equal(second.headers.location, first.headers.location, 'the second post shows the first one\'s refund');
    assert.equal(await refunds(), 1);

    // a double click without JavaScript's help: many posts of one form at the same moment
    const again = onceOf((await staff.agent.get(`/office/payments/${payment.id}`).expect(200)).text, action);
    assert.notEqual(again, once, 'each rendering of the form has a token of its own');
    const burst = await Promise.all(Array.from({ length: 6 }, () => post(staff, action, { _once: again, amount: '2.00', confirmed: '1' })));
    assert.deepEqual(burst.map((r) => r.status), Array(6).fill(303));
    assert.equal(new Set(burst.map((r) => r.headers.location)).size, 1);
    assert.equal(await refunds(), 2);
    assert.equal((await api(t, merchant).get(`/payments/${payment.id}`)).body.amount_refunded, '3.00');
    await assertLedgerClean(t);

    // only the hashes of spent tokens are kept, and only until no form could carry them any more
    const kept = (await t.database.db.raw('select token_hash from action_tokens')).rows.map((r: { token_hash: string }) => r.token_hash);
    assert.ok(kept.length >= 2 && kept.every((h: string) => /^[0-9a-f]{64}$/.test(h) && h !== once && h !== again));
    const purge = t.app.jobs.list.find((j) => j.name === 'purge-lapsed-limits')!;
    await purge.run();
    assert.equal(await count('select count(*) as n from action_tokens'), kept.length);
    t.clock.advance(25 * 3600_000);
    await purge.run();
    assert.equal(await count('select count(*) as n from action_tokens'), 0);
  });

  it('the confirmation page (no JavaScript) carries the form\'s token: submitted twice, it refunds once', async () => {
    const merchant = await createTestMerchant(t);
    const staff = await officeUser(t, merchant, 'staff');
    const { payment } = await payNow(t, merchant, '10.00');
    const action = `/office/payments/${payment.id}/refund`;
    const once = onceOf((await staff.agent.get(`/office/payments/${payment.id}`).expect(200)).text, action);
    const confirm = await post(staff, action, { _once: once, amount: '4.00' }).expect(200);
    assert.equal(onceOf(confirm.text, action), once);
    const confirmAgain = await post(staff, action, { _once: once, amount: '4.00' }).expect(200);
    const [a, b] = await Promise.all([confirm, confirmAgain].map((page) => post(staff, action, { _once: onceOf(page.text, action), amount: '4.00', confirmed: '1' })));
    assert.deepEqual([a!.status, b!.status], [303, 303]);
    assert.equal(a!.headers.location, b!.headers.location);
    assert.equal(await count('select count(*) as n from refunds where payment_id = ?', payment.id), 1);
    const shown = await staff.agent.get(String(b!.headers.location)).expect(200);
    assert.match(shown.text, /role="status"[^>]*>[^<]*4\.00/);
    // once spent, even the first form (before its confirmation) leads to the outcome, not to a new confirmation
    const late = await post(staff, action, { _once: once, amount: '4.00' }).expect(303);
    assert.equal(late.headers.location, a!.headers.location);
  });

  it('refuses a post without a token, with another form\'s token, or another session\'s, and acts on none', async () => {
    const merchant = await createTestMerchant(t);
    const staff = await officeUser(t, merchant, 'staff');
    const other = await officeUser(t, merchant, 'staff');
    const { payment } = await payNow(t, merchant, '10.00');
    const action = `/office/payments/${payment.id}/refund`;
    const page = (await staff.agent.get(`/office/payments/${payment.id}`).expect(200)).text;
    const missing = await post(staff, action, { amount: '1.00', confirmed: '1' }).expect(403);
    assert.match(missing.text, /expired/);
    const token = onceOf(page, action);
    await post(staff, action, { _once: token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), amount: '1.00', confirmed: '1' }).expect(403);
    await post(staff, action, { _once: onceOf((await staff.agent.get('/office/links/new').expect(200)).text, '/office/links/new'), amount: '1.00', confirmed: '1' }).expect(403);
    await post(other, action, { _once: onceOf(page, action), amount: '1.00', confirmed: '1' }).expect(403);
    t.clock.advance(13 * 3600_000);
    await staff.agent.get('/office').expect(302); // the session idled out meanwhile
    assert.equal(await count('select count(*) as n from refunds where payment_id = ?', payment.id), 0);
  });

  type Case = { name: string; setup: (m: TestMerchant, owner: OfficeUser) => Promise<{ page: string; action: string; fields: Record<string, string>; changes: () => Promise<number> }> };
  const cases: Case[] = [
    {
      name: 'capture',
      setup: async (m) => {
        const { payment: p } = await payNow(t, m, '10.00');
        return { page: `/office/payments/${p.id}`, action: `/office/payments/${p.id}/capture`, fields: { amount: '6.00', confirmed: '1' },
          changes: () => count("select count(*) as n from audit_log where action = 'payment.capture' and target = ?", p.id) };
      },
    },
    {
      name: 'void',
      setup: async (m) => {
        const { payment: p } = await payNow(t, m, '3.00');
        return { page: `/office/payments/${p.id}`, action: `/office/payments/${p.id}/void`, fields: { confirmed: '1' },
          changes: () => count("select count(*) as n from audit_log where action = 'payment.void' and target = ?", p.id) };
      },
    },
    {
      name: 'pay link',
      setup: async (m) => {
        const shopId = (await t.admin('get', `/admin/v1/merchants/${m.id}`)).body.shop_id as string;
        const buyer = await createBuyer(t, '5.00');
        return { page: '/office/links/new', action: '/office/links/new', fields: { shop_id: shopId, amount: '2.00', description: '', phone: `+${buyer.phone}` },
          changes: async () => (await count("select count(*) as n from sms_messages where phone = ? and kind = 'link'", buyer.phone)) * 100 + (await count('select count(*) as n from payments where phone = ?', buyer.phone)) };
      },
    },
    {
      name: 'API key',
      setup: async (m) => ({ page: '/office/shops', action: '/office/keys', fields: { name: 'twice' },
        changes: () => count("select count(*) as n from api_keys where merchant_id = ? and name = 'twice'", m.id) }),
    },
    {
      name: 'user',
      setup: async (m) => ({ page: '/office/users', action: '/office/users', fields: { email: `new-${m.id}@shop.example`, role: 'viewer' },
        changes: () => count('select count(*) as n from audit_log where action = \'user.create\' and target = ?', `new-${m.id}@shop.example`) }),
    },
  ];
  for (const c of cases) {
    it(`a ${c.name} form posted twice at once and once more afterwards acts once`, async () => {
      const merchant = await createTestMerchant(t, { capture: 'manual' });
      const owner = await officeUser(t, merchant, 'owner');
      const { page, action, fields, changes } = await c.setup(merchant, owner);
      const once = onceOf((await owner.agent.get(page).expect(200)).text, action);
      const before = await changes();
      const posts = await Promise.all([1, 2].map(() => post(owner, action, { _once: once, ...fields })));
      const replay = await post(owner, action, { _once: once, ...fields });
      for (const res of [...posts, replay]) assert.ok([200, 201, 303].includes(res.status), `${res.status}: ${res.text.slice(0, 300)}`);
      assert.equal(replay.status, 303, 'the repeated post is sent to the outcome');
      const after = await changes();
      assert.ok(after > before, 'it acted');
      assert.equal(after - before, c.name === 'pay link' ? 101 : 1, 'once');
      await owner.agent.get(String(replay.headers.location)).expect(200);
    });
  }
});
