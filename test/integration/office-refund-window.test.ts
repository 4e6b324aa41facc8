import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant, api } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { officeUser } from '../helpers/office.js';
import { DAY_MS } from '../../lib/domain/time.js';

/** The payment page offers a refund only while one can be made: refundableLeft() of lib/domain/refund.ts, as the API. */
describe('back office: the refund form and the refund window (HTTP)', () => {
  const t = useTestApp({ config: { refundWindowDays: 2 } });

  it('shows the refund form inside REFUND_WINDOW_DAYS with what is left, and none once the window closed', async () => {
    const merchant = await createTestMerchant(t);
    const { payment } = await payNow(t, merchant, '10.00');
    await api(t, merchant).post(`/payments/${payment.id}/refunds`).send({ amount: '4.00' }).expect(201);
    const owner = await officeUser(t, merchant, 'owner');
    const open = await owner.agent.get(`/office/payments/${payment.id}`).expect(200);
    assert.match(open.text, /data-action="refund"/);
    assert.match(open.text, /placeholder="6\.00"/, 'what is left to refund');

    t.clock.advance(2 * DAY_MS + 1_000);
    const late = await officeUser(t, merchant, 'owner'); // a fresh session: the first one went idle
    const closed = await late.agent.get(`/office/payments/${payment.id}`).expect(200);
    assert.doesNotMatch(closed.text, /data-action="refund"/);
    assert.doesNotMatch(closed.text, /id="refund-amount"/);
    const refused = await api(t, merchant).post(`/payments/${payment.id}/refunds`).send({ amount: '1.00' });
    assert.equal(refused.body.code, 'refund_window_closed', 'the API refuses it too');
  });
});
