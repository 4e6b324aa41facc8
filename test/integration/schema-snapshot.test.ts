import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { describeSchema } from '../../lib/use-cases/operators/read.js';

describe('the committed schema snapshot (migrations/schema.sql)', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase(2);
  });
  after(() => t.drop());

  it('is what the migrations make: a schema change reads as a diff of this file', async () => {
    const actual = await describeSchema({ db: t.db });
    const committed = readFileSync('migrations/schema.sql', 'utf8');
    assert.equal(actual, committed, 'the migrations and migrations/schema.sql differ: run `npm run schema:dump` and commit the result');
  });
});
