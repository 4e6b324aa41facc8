import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { officeUser, onceOf, type OfficeUser } from '../helpers/office.js';
import { Receiver } from '../helpers/receiver.js';

/** docs/merchant-guide.md#back-office "Running the shop alone": owners set the notification URLs and the form's behaviour in the office. */
describe('office shop settings', () => {
  const t = useTestApp();
  const receiver = new Receiver();
  before(() => receiver.start());
  after(() => receiver.stop());

  const settings = async (owner: OfficeUser, shopId: string, fields: Record<string, string>) => {
    const action = `/office/shops/${shopId}/settings`;
    const page = (await owner.agent.get(`/office/shops/${shopId}`).expect(200)).text;
    const form = new URLSearchParams({ _csrf: owner.csrf, _once: onceOf(page, action), result_url: '', success_url: '', fail_url: '', webhook_url: '',
      allowed_hosts: '', hash_method: 'sha256', success_method: 'GET', fail_method: 'GET', capture: 'automatic', lang: 'en', ...fields });
    return owner.agent.post(action).type('form').send(form.toString());
  };

  it('an owner sets the Result URL in the office and the next live payment\'s Result goes there; a URL the merchant API refuses is refused here too and nothing changes', async () => {
    const merchant = await createTestMerchant(t);
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
    const owner = await officeUser(t, merchant, 'owner');
    const url = receiver.url('/office-result');
    const host = new URL(url).hostname;

    const refused = await settings(owner, shopId, { result_url: 'ftp://files.example/result', allowed_hosts: host });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /class="error" role="alert">[^<]*result_url/, 'the API\'s own validation, named beside the form');
    assert.match(refused.text, /value="ftp:\/\/files\.example\/result"/, 'the form keeps what was typed');
    assert.equal((await api(t, merchant).get(`/shops/${shopId}`)).body.result_url, 'http://127.0.0.1:9/result', 'nothing changed');

    const saved = await settings(owner, shopId, { result_url: url, allowed_hosts: host, hash_method: 'md5', prerequest: '' });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.location, `/office/shops/${shopId}?saved=1`);
    const shop = (await api(t, merchant).get(`/shops/${shopId}`)).body;
    assert.deepEqual([shop.result_url, shop.allowed_hosts, shop.hash_method, shop.prerequest], [url, [host], 'md5', false]);
    const page = (await owner.agent.get(`/office/shops/${shopId}?saved=1`).expect(200)).text;
    assert.ok(page.includes(`value="${url}"`), 'the page shows the URL now in force');

    await payNow(t, merchant, '4.00', {}, { notified: true });
    const [result] = await receiver.waitFor(1);
    assert.equal(result!.path, '/office-result');
    assert.ok(new URLSearchParams(result!.body).get('LMI_HASH'), 'a signed Result');
  });

  it('a staff user sees the settings read-only and cannot post them', async () => {
    const merchant = await createTestMerchant(t);
    const shopId = (await t.admin('get', `/admin/v1/merchants/${merchant.id}`)).body.shop_id as string;
    const staff = await officeUser(t, merchant, 'staff');
    const page = (await staff.agent.get(`/office/shops/${shopId}`).expect(200)).text;
    assert.match(page, /id="set-result_url"[^>]* disabled/);
    await staff.agent.post(`/office/shops/${shopId}/settings`).type('form').send({ _csrf: staff.csrf, result_url: 'http://127.0.0.1:1/x' }).expect(403);
  });
});
