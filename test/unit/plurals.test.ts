import assert from 'node:assert/strict';
import { plural } from '../../lib/i18n/plurals.js';

describe('plural rules of the five languages (Intl.PluralRules)', () => {
  it('says "1 try left" and "2 tries left" in English', () => {
    assert.equal(plural('en', 'code.tries_left', 1), '1 try left.');
    assert.equal(plural('en', 'code.tries_left', 2), '2 tries left.');
    assert.equal(plural('en', 'code.tries_left', 0), '0 tries left.');
  });
  it('uses the one/few/many forms of Russian', () => {
    assert.equal(plural('ru', 'code.tries_left', 1), 'Осталась 1 попытка.');
    assert.equal(plural('ru', 'code.tries_left', 2), 'Осталось 2 попытки.');
    assert.equal(plural('ru', 'code.tries_left', 5), 'Осталось 5 попыток.');
    assert.equal(plural('ru', 'code.tries_left', 21), 'Осталась 21 попытка.');
  });
  it('uses German one/other, Vietnamese other, and the six Arabic forms', () => {
    assert.equal(plural('de', 'code.tries_left', 1), 'Noch 1 Versuch.');
    assert.equal(plural('de', 'code.tries_left', 2), 'Noch 2 Versuche.');
    assert.equal(plural('vi', 'code.tries_left', 1), 'Còn 1 lần thử.');
    assert.equal(plural('ar', 'code.tries_left', 0), 'لم تبقَ أي محاولة.');
    assert.equal(plural('ar', 'code.tries_left', 1), 'بقيت محاولة واحدة.');
    assert.equal(plural('ar', 'code.tries_left', 2), 'بقيت محاولتان.');
    assert.equal(plural('ar', 'code.tries_left', 3), 'بقيت 3 محاولات.');
  });
});

describe('the language of a page or an SMS', () => {
  it('is the buyer\'s choice, then the browser\'s, then the shop\'s, then English', async () => {
    const { pickLang } = await import('../../lib/i18n/index.js');
    assert.equal(pickLang(['vi'], 'de', 'ru'), 'vi');
    assert.equal(pickLang([undefined], 'de-DE,de;q=0.9', 'ru'), 'de');
    assert.equal(pickLang([null], undefined, 'ru'), 'ru');
    assert.equal(pickLang([], 'fr', 'ar'), 'ar');
    assert.equal(pickLang([], undefined, null), 'en');
  });
});
