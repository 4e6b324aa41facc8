import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant } from '../helpers/merchant.js';
import { payNow } from '../helpers/payments.js';
import { consoleUser } from '../helpers/console.js';

/** The purses of one group of the console's merchant page, as `purse mode balance` (rows of `[data-purses="…"]`). */
function group(html: string, mode: 'live' | 'test'): { caption: string; rows: string[] } {
  const table = new RegExp(`data-purses="${mode}">[^]*?</table>`).exec(html)?.[0];
  assert.ok(table, `the ${mode} group is shown`);
  const caption = /<caption>([^<]+)<\/caption>/.exec(table)![1]!;
  const rows = [...table.matchAll(/<tr data-purse="([A-Z]\d{12})" data-mode="(live|test)"><td>(?:<[^>]+>)*[^<]*(?:<[^>]+>)*<\/td><td class="num">(?:<[^>]+>)*([^<]+)/g)].map((m) => `${m[1]} ${m[2]} ${m[3]!.replace(/[^\d.]/g, '')}`);
  return { caption, rows };
}

/** docs/operator-guide.md#operator-console: /console/merchants/{id} shows the live and the test purses apart, each group labelled. */
describe('console merchant page: live and test purses apart', () => {
  const t = useTestApp();

  it('a live merchant\'s live purse and its test purse are in their own labelled groups, in every language', async () => {
    const support = await consoleUser(t, 'support');
    const merchant = await createTestMerchant(t, { mode: 'live' });
    await payNow(t, merchant, '12.00');
    const testPurse = (await t.database.db.raw("select purse from wallets where merchant_id = ? and kind = 'merchant' and mode = 'test'", [merchant.id])).rows[0].purse as string;
    assert.notEqual(testPurse, merchant.purse);

    const html = (await support.agent.get(`/console/merchants/${merchant.id}?lang=en`).expect(200)).text;
    assert.deepEqual(group(html, 'live'), { caption: 'Live purses', rows: [`${merchant.purse} live 12.00`] });
    assert.deepEqual(group(html, 'test'), { caption: 'Test purses', rows: [`${testPurse} test 0.00`] });
    assert.ok(html.indexOf('data-purses="live"') < html.indexOf('data-purses="test"'), 'live first');

    const captions: Record<string, [string, string]> = { ru: ['Рабочие кошельки', 'Тестовые кошельки'], de: ['Live-Wallets', 'Test-Wallets'], vi: ['Ví thật', 'Ví thử nghiệm'], ar: ['المحافظ الحقيقية', 'محافظ الاختبار'] };
    for (const [lang, [live, test]] of Object.entries(captions)) {
      const page = (await support.agent.get(`/console/merchants/${merchant.id}?lang=${lang}`).expect(200)).text;
      assert.deepEqual([group(page, 'live').caption, group(page, 'test').caption], [live, test], lang);
    }
    await support.agent.get('/console?lang=en').expect(200);
  });

  it('a test merchant has test purses only: the live group says there are none', async () => {
    const support = await consoleUser(t, 'support');
    const merchant = await createTestMerchant(t, { mode: 'test' });
    const html = (await support.agent.get(`/console/merchants/${merchant.id}`).expect(200)).text;
    assert.deepEqual(group(html, 'live').rows, []);
    assert.match(html, /data-purses="live">[^]*?<td colspan="3">None\.<\/td>/);
    assert.deepEqual(group(html, 'test').rows, [`${merchant.purse} test 0.00`]);
  });
});
