import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { query } from '../../lib/postgres/db.js';
import { insertSms, takeSmsForSend } from '../../lib/store/sms-messages.js';
import type { SmsId } from '../../lib/domain/ids.js';

/**
 * tp_take_sms (migrations/20261209100100_take_sms_statement.ts): the outbox's SMS taken for its send with the SMS budget's hit in one
 * statement. Each decision against PostgreSQL: taken and counted, gone (never twice, nothing spent), over the budget (the claim undone,
 * the hit still counted), a shared test phone (nothing spent), a missing row.
 */
describe('taking an outbox SMS in PostgreSQL (tp_take_sms)', () => {
  let t: TestDatabase;
  let n = 0;
  const at = new Date('2026-12-06T10:00:30Z');
  const budget = (max: number) => [{ name: 'sms_budget', key: 'sms_budget:all:take-test', window_start: '2026-12-06T10:00:00.000Z', max }];
  const free = ['12025550101'];
  before(async () => {
    t = await createTestDatabase(2);
  });
  after(async () => {
    await t.drop();
  });

  async function queued(phone = '79035550000', mode: 'live' | 'test' = 'live'): Promise<SmsId> {
    const id = `sms_take${String(++n).padStart(20, '0')}` as SmsId;
    await insertSms(t.db, { id, merchantId: null, paymentId: null, codeId: null, mode, kind: 'receipt', phone, textRedacted: 'Receipt', lang: 'en', createdAt: at });
    return id;
  }
  const statusOf = async (id: string) => (await query<{ status: string }>(t.db, 'select status from sms_messages where id = ?', [id]))[0]!.status;
  const hits = async () => (await query<{ hits: number }>(t.db, `select hits from rate_counters where key = 'sms_budget:all:take-test'`))[0]?.hits ?? 0;

  it('takes a queued message: it is "unknown" until its gateway answers, and the budget is hit once', async () => {
    const id = await queued();
    const taken = await takeSmsForSend(t.db, id, at, budget(10), free);
    assert.equal(taken.outcome, 'taken');
    assert.equal(taken.sms!.id, id);
    assert.equal(taken.sms!.phone, '79035550000');
    assert.equal(await statusOf(id), 'unknown');
    assert.equal(await hits(), 1);
  });

  it('never takes a message twice, and a second take spends nothing', async () => {
    const id = await queued();
    const before = await hits();
    assert.equal((await takeSmsForSend(t.db, id, at, budget(10), free)).outcome, 'taken');
    const again = await takeSmsForSend(t.db, id, at, budget(10), free);
    assert.equal(again.outcome, 'gone');
    assert.equal(again.sms!.status, 'unknown');
    assert.equal(await hits(), before + 1);
  });

  it('over the budget: the claim is undone (the message waits, queued) and the refused hit still counts', async () => {
    const id = await queued();
    const before = await hits();
    const refused = await takeSmsForSend(t.db, id, at, budget(before), free);
    assert.equal(refused.outcome, 'rate_limited');
    assert.equal(await statusOf(id), 'queued');
    assert.equal(await hits(), before + 1);
    assert.equal((await takeSmsForSend(t.db, id, at, budget(before + 10), free)).outcome, 'taken', 'taken at its next try');
  });

  it('spends nothing for a shared test phone in test mode, and spends for the same number in live mode', async () => {
    const before = await hits();
    assert.equal((await takeSmsForSend(t.db, await queued('12025550101', 'test'), at, budget(10), free)).outcome, 'taken');
    assert.equal(await hits(), before);
    assert.equal((await takeSmsForSend(t.db, await queued('12025550101', 'live'), at, budget(10), free)).outcome, 'taken');
    assert.equal(await hits(), before + 1);
  });

  it('answers missing for no such message, and spends nothing', async () => {
    const before = await hits();
    assert.deepEqual(await takeSmsForSend(t.db, 'sms_nosuchmessage000000000000', at, budget(10), free), { outcome: 'missing', sms: undefined });
    assert.equal(await hits(), before);
  });
});
