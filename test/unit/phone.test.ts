import assert from 'node:assert/strict';
import { parsePhone, maskPhone } from '../../lib/domain/phone.js';

describe('phone numbers', () => {
  const good: [string, string][] = [
    ['+7 903 123-45-67', '79031234567'],
    ['79031234567', '79031234567'],
    ['+1 (415) 555-2671', '14155552671'],
    ['0049 30 901820', '4930901820'],
    ['+44 20 7946 0958', '442079460958'],
    ['+380 44 123 4567', '380441234567'],
  ];
  for (const [input, e164] of good) {
    it(`reads ${input}`, () => assert.deepEqual(parsePhone(input), { ok: true, phone: e164 }));
  }
  for (const bad of ['', '123', '+7 903', 'call me', '+999 1234567', '+7 903 123-45-67 ext 5', 79031234567, '+1 555 0000000000000']) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.equal(parsePhone(bad).ok, false));
  }
  it('masks all but the country code and the last digits', () => {
    assert.equal(maskPhone('79031234567'), '+7903*****67');
  });
});
