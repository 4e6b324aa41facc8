import assert from 'node:assert/strict';
import { findNul, hasBidiControl } from '../../lib/domain/text.js';
import { parseFormBody } from '../../lib/schemas/form-body.js';
import { parseLmiForm } from '../../lib/schemas/lmi-form.js';
import { isAppError } from '../../lib/domain/errors.js';

const fieldOf = (raw: string) => {
  try {
    parseLmiForm(raw);
    return 'ok';
  } catch (err) {
    return isAppError(err) ? (err.extra.errors as { field: string }[])[0]!.field : 'other';
  }
};

describe('text that enters from outside (pure, no database)', () => {
  it('finds a NUL at any depth of a JSON value and names its path', () => {
    assert.equal(findNul({ a: 'x', metadata: { note: 'a\u0000' } }), 'metadata.note');
    assert.equal(findNul({ list: ['ok', 'b\u0000'] }), 'list.1');
    assert.equal(findNul({ fine: 'yes' }), undefined);
  });
  it('sees bidi controls that make a name read as another', () => {
    assert.equal(hasBidiControl('Shop \u202Egnp.exe'), true);
    assert.equal(hasBidiControl('Магазин «Телепёрс»'), false);
  });
  it('decodes forms strictly: invalid UTF-8 and NUL are refused with the field', () => {
    assert.deepEqual(parseFormBody('a=1&b=caf%C3%A9+x'), { ok: true, pairs: [['a', '1'], ['b', 'café x']] });
    assert.deepEqual(parseFormBody('desc=%C3%28'), { ok: false, field: 'desc', message: 'is not valid UTF-8 text' });
    assert.equal((parseFormBody('x=a%00') as { field: string }).field, 'x');
  });
  it('reads the LMI form with the shared rules: order number, redirect method, language tag, look-alike names', () => {
    const base = 'LMI_PAYEE_PURSE=Z123456789012&LMI_PAYMENT_AMOUNT=1.00';
    assert.equal(fieldOf(base), 'ok');
    assert.equal(fieldOf(`${base}&LMI_PAYMENT_NO=2147483648`), 'LMI_PAYMENT_NO');
    assert.equal(fieldOf(`${base}&LMI_SUCCESS_METHOD=get`), 'ok');
    assert.equal(fieldOf(`${base}&LMI_FAIL_METHOD=3`), 'LMI_FAIL_METHOD');
    assert.equal(fieldOf(`${base}&LMI_LANG=ru-RU`), 'ok');
    assert.equal(fieldOf(`${base}&LMI_LANG=russian`), 'LMI_LANG');
    assert.equal(fieldOf(`${base}&LMI.PAYMENT.NO=1`), 'LMI.PAYMENT.NO');
    assert.equal(fieldOf(`${base}&Lmi_Payment_No=1`), 'Lmi_Payment_No');
    assert.equal(fieldOf(`${base}&order_ref=lmi`), 'ok');
  });
});
