import type { z } from 'zod';

/**
 * Plain words for what zod would say in its own terms ("Invalid input: expected string, received
 * undefined"). Used as the per-parse error map, so a message written on a schema still wins; the
 * field's name is not in the message because the problem names it beside.
 */
export function plainError(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${KINDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${show(issue.values[0])}` : `must be one of ${issue.values.map(show).join(', ')}`;
    case 'invalid_union':
      return unionWords(issue.errors);
    case 'too_big':
      return limitWords('at most', issue.origin, issue.maximum, issue.inclusive);
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 ? 'must not be empty' : limitWords('at least', issue.origin, issue.minimum, issue.inclusive);
    case 'invalid_format':
      return `must be ${FORMATS[issue.format] ?? `in the expected format (${issue.format})`}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `is not a field of this request (${issue.keys.join(', ')})`;
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has a value that is not allowed';
    default:
      return undefined;
  }
}

const KINDS: Record<string, string> = {
  string: 'text (a JSON string)',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  bigint: 'a whole number',
  date: 'a date',
  null: 'null',
};

const FORMATS: Record<string, string> = {
  regex: 'in the expected format',
  email: 'an e-mail address',
  url: 'a URL',
  uuid: 'a UUID',
  datetime: 'a date-time with an offset, such as 2026-12-01T10:00:00Z',
  date: 'a date such as 2026-12-01',
  starts_with: 'in the expected format',
  ends_with: 'in the expected format',
};

const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));

function limitWords(bound: 'at most' | 'at least', origin: string, limit: number | bigint, inclusive?: boolean): string {
  const exact = inclusive === false ? (bound === 'at most' ? 'less than' : 'more than') : bound;
  if (origin === 'string') return `must be ${exact} ${limit} characters long`;
  if (origin === 'array' || origin === 'set') return `must have ${exact} ${limit} items`;
  return `must be ${exact} ${limit}`;
}

/** A union of literals reads as its choices; any other union as what each choice expected. */
function unionWords(branches: z.core.$ZodIssue[][]): string {
  const literals = branches.flat().flatMap((i) => (i.code === 'invalid_value' ? i.values : []));
  if (literals.length === branches.length) return `must be one of ${literals.map(show).join(', ')}`;
  return 'is none of the accepted forms';
}

/** A schema's own wording for a wrong value; a missing one still reads "is required". */
export const unlessMissing = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? undefined : message);
