import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findJsonSyntaxError } from '../../lib/http/shared/json-syntax.js';

describe('where a JSON body goes wrong', () => {
  it('finds nothing wrong in any JSON that JSON.stringify writes', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
      assert.equal(findJsonSyntaxError(JSON.stringify(value, null, pretty ? 2 : undefined)), undefined);
    }), { numRuns: 300 });
  });

  it('agrees with JSON.parse on any cut or corrupted text, and points inside it', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.nat(), fc.constantFrom('', '}', ',', '"', 'x', '\n'), (value, cut, junk) => {
      const whole = JSON.stringify(value, null, 1);
      const text = whole.slice(0, cut % (whole.length + 1)) + junk;
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      const error = findJsonSyntaxError(text);
      assert.equal(error === undefined, parses, text);
      if (error) assert.ok(error.offset <= text.length);
    }), { numRuns: 500 });
  });

  it('says line and column, and what it found', () => {
    assert.deepEqual(findJsonSyntaxError('{"a": 1,\n "b": }'), { offset: 15, line: 2, column: 7, found: '"}"' });
    assert.deepEqual(findJsonSyntaxError('{"a":'), { offset: 5, line: 1, column: 6, found: 'the end of the body' });
    assert.equal(findJsonSyntaxError('{"a": tru}')?.column, 10);
    assert.equal(findJsonSyntaxError('[1, 2,]')?.column, 7);
    assert.equal(findJsonSyntaxError('{"a": 01}')?.column, 8);
  });
});
