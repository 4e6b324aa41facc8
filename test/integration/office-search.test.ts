import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { officeUser } from '../helpers/office.js';

/** docs/merchant-guide.md#back-office: the journal's search as a merchant on the phone with a buyer uses it, and the shop's own fields in the page and the CSV. */
describe('office search and the shop\'s own fields', () => {
  const t = useTestApp();

  it('finds a payment by the phone\'s last 4 digits, an exact amount, or a value of its metadata; the page and the CSV show the own fields', async () => {
    const merchant = await createTestMerchant(t);
    const other = await createTestMerchant(t);
    const viewer = await officeUser(t, merchant, 'viewer');
    const { payment: mug, buyer } = await payNow(t, merchant, '12.08', { metadata: { order_ref: 'ORD-77', colour: 'Teal' } });
    const { payment: cap } = await payNow(t, merchant, '3.50', { metadata: { order_ref: 'ORD-78' } }, { buyer });
    const { payment: foreign } = await payNow(t, other, '12.08', { metadata: { order_ref: 'ORD-77' } }, { buyer });
    const ids = async (q: string) => [...(await viewer.agent.get(`/office/payments?q=${encodeURIComponent(q)}`).expect(200)).text.matchAll(/<tr data-payment-id="(pay_[0-9a-z]+)"/g)].map((m) => m[1]);

    assert.deepEqual(await ids(buyer.phone.slice(-4)), [cap.id, mug.id], 'the last 4 digits of the phone');
    assert.deepEqual(await ids('12.08'), [mug.id], 'an exact amount, not another merchant\'s');
    assert.deepEqual(await ids('12,08'), [mug.id], 'with a decimal comma too');
    assert.deepEqual(await ids('ord-77'), [mug.id], 'a metadata value, whole and case-blind');
    assert.deepEqual(await ids('teal'), [mug.id]);
    assert.deepEqual(await ids('ORD-7'), [], 'a value is matched whole, not in part');
    assert.ok(!(await ids('ORD-77')).includes(foreign.id));

    const page = (await viewer.agent.get(`/office/payments/${mug.id}`).expect(200)).text;
    assert.match(page, /<dl class="facts" data-own-fields>[\s\S]*<dt>metadata\.order_ref<\/dt><dd>ORD-77<\/dd>/);
    assert.match(page, /<dt>Shop<\/dt><dd>Test Shop <span class="muted">shp_/, 'the shop by its name');
    assert.match(page, /Code sent by SMS \((sent|delivered)\)<\/li>/, 'each message named by what it was, its state in words');
    assert.doesNotMatch(page, /\((code|link|receipt|refund), /, 'no internal kind names');

    const csv = (await viewer.agent.get('/office/payments.csv').expect(200)).text;
    const [header, ...lines] = csv.trim().split('\r\n') as [string, ...string[]];
    // no cell of these rows holds a comma or a quote, so a split reads them
    const rows = lines.map((l) => Object.fromEntries(header.split(',').map((name, i) => [name, l.split(',')[i] ?? ''])));
    assert.ok(header.startsWith('id,created_at,shop_id,status,amount,fee,net,amount_refunded,currency,phone,payment_no,invoice_no,transaction_no,paid_at,failure_reason,description,'), 'the fixed header first');
    assert.ok(header.endsWith(',metadata.colour,metadata.order_ref'), 'then one column per field name seen, sorted');
    assert.deepEqual(rows.map((r) => [r.id, r['metadata.order_ref'], r['metadata.colour']]), [[cap.id, 'ORD-78', ''], [mug.id, 'ORD-77', 'Teal']]);
  });
});
