import assert from 'node:assert/strict';
import { isTransientDatabaseError } from '../../lib/http/shared/transient-errors.js';

describe('which database failures are transient (503, never 500)', () => {
  const transient: [string, unknown][] = [
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['an administrator shutdown', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a server starting up', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['a read-only primary', Object.assign(new Error('cannot execute UPDATE in a read-only transaction'), { code: '25006' })],
    ['a serialization failure', Object.assign(new Error('could not serialize access'), { code: '40001' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a dropped connection, as knex words it', new Error('insert into rate_counters (key) values ($1) - Connection terminated unexpectedly')],
    ['a full pool', Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' })],
    ['a wrapped cause', new Error('query failed', { cause: Object.assign(new Error('x'), { code: '08006' }) })],
    ['an AggregateError of refusals', new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })])],
  ];
  for (const [name, err] of transient) it(`${name} is transient`, () => assert.equal(isTransientDatabaseError(err), true));

  const lasting: [string, unknown][] = [
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a syntax error', Object.assign(new Error('syntax error'), { code: '42601' })],
    ['a plain bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ];
  for (const [name, err] of lasting) it(`${name} is not`, () => assert.equal(isTransientDatabaseError(err), false));
});
