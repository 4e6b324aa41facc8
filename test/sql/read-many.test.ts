import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readMany } from '../../lib/postgres/db.js';

/** The one read of a money statement (docs/architecture.md#money-statements): several statements, one round trip, values that need no quoting. */
describe('readMany: several reads in one round trip', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase(2);
  });
  after(async () => {
    await t.drop();
  });

  it('answers each statement\'s rows, in one message to PostgreSQL', async () => {
    const sent: string[] = [];
    const listen = (q: { sql: string }) => sent.push(q.sql);
    t.db.on('query', listen);
    try {
      const [a, b] = await readMany<[{ x: string }[], { n: number }[]]>(t.db, ['select {{id}}::text as x', 'select 2 as n union all select 3'], { id: 'pay_abc' });
      assert.deepEqual(a, [{ x: 'pay_abc' }]);
      assert.deepEqual(b, [{ n: 2 }, { n: 3 }]);
    } finally {
      t.db.off('query', listen);
    }
    assert.equal(sent.length, 1);
  });

  it('refuses a value that would need quoting, before anything is sent', async () => {
    await assert.rejects(readMany(t.db, ['select {{id}}'], { id: "x' or '1'='1" }), /is not an id/);
    await assert.rejects(readMany(t.db, ['select {{other}}'], { id: 'x' }), /no value for \{\{other\}\}/);
  });

  it('takes the values out of an error, which knex words with the SQL (a phone must not reach the logs)', async () => {
    const err = await readMany(t.db, ['select * from no_such_table where phone = {{phone}}'], { phone: '79031234567' }).catch((e: Error) => e);
    assert.ok(err instanceof Error);
    assert.match(err.message, /no_such_table/);
    assert.doesNotMatch(`${err.message} ${err.stack}`, /79031234567/);
  });
});
