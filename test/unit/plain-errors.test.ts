import assert from 'node:assert/strict';
import { z } from 'zod';
import { parseInput } from '../../lib/schemas/parse.js';
import { isAppError } from '../../lib/domain/errors.js';

const LIBRARY_WORDING = /Invalid input|expected \w+, received|Too big|Too small|Unrecognized key|Invalid option|Invalid string|must match pattern/;

function refusal(schema: z.ZodType, input: unknown, what?: string) {
  try {
    parseInput(schema, input, what);
  } catch (err) {
    assert.ok(isAppError(err));
    const problem = { detail: err.message, errors: err.extra.errors as { field: string; message: string; in: string }[] };
    assert.doesNotMatch(JSON.stringify(problem), LIBRARY_WORDING);
    return problem;
  }
  assert.fail('accepted');
}

describe('input errors in plain words', () => {
  const body = z.strictObject({
    amount: z.string(), count: z.number().int().max(100), send: z.enum(['code', 'link']), when: z.iso.datetime(),
    tags: z.array(z.string()).max(2), mode: z.union([z.literal('GET'), z.literal('POST')]), name: z.string().min(1).max(5),
  });
  const valid = { amount: '1.00', count: 1, send: 'code', when: '2026-12-01T10:00:00Z', tags: [], mode: 'GET', name: 'a' };

  const cases: [string, Record<string, unknown>, string, string][] = [
    ['a missing field', { amount: undefined }, 'amount', 'is required'],
    ['a number where text goes', { amount: 12 }, 'amount', 'must be text (a JSON string)'],
    ['a fraction where a whole number goes', { count: 1.5 }, 'count', 'must be a whole number'],
    ['too big a number', { count: 101 }, 'count', 'must be at most 100'],
    ['a value outside a list', { send: 'fax' }, 'send', 'must be one of "code", "link"'],
    ['a date-time without offset', { when: '2026-12-01' }, 'when', 'must be a date-time with an offset, such as 2026-12-01T10:00:00Z'],
    ['too many items', { tags: ['a', 'b', 'c'] }, 'tags', 'must have at most 2 items'],
    ['a union of literals', { mode: 'PUT' }, 'mode', 'must be one of "GET", "POST"'],
    ['an empty text', { name: '' }, 'name', 'must not be empty'],
    ['too long a text', { name: 'abcdef' }, 'name', 'must be at most 5 characters long'],
    ['an unknown field, named itself', { amont: '2' }, 'amont', 'is not a field of this request'],
  ];
  for (const [name, change, field, message] of cases) {
    it(`${name}: names ${field} and says "${message}"`, () => {
      const { detail, errors } = refusal(body, { ...valid, ...change });
      assert.deepEqual(errors[0], { field, message, in: 'body' });
      assert.equal(detail, `The field "${field}" ${message}.`);
    });
  }

  it('says a query parameter is a query parameter', () => {
    const { detail, errors } = refusal(z.strictObject({ limit: z.coerce.number().int().max(100) }), { limit: '500' }, 'query');
    assert.equal(detail, 'The query parameter "limit" must be at most 100.');
    assert.equal(errors[0]!.in, 'query');
  });

  it('names a path value by what it is, and keeps a message written on the schema', () => {
    const { detail, errors } = refusal(z.string().regex(/^Z\d{12}$/, 'a purse is a currency letter and 12 digits'), 'Z1', 'purse');
    assert.equal(detail, 'The path parameter "purse": a purse is a currency letter and 12 digits.');
    assert.deepEqual(errors[0], { field: 'purse', message: 'a purse is a currency letter and 12 digits', in: 'path' });
  });

  it('counts the other faults in the detail', () => {
    const { detail, errors } = refusal(body, {});
    assert.equal(errors.length, 7);
    assert.match(detail, /\(and 6 more in errors\)\.$/);
  });
});
