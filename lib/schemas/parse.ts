import type { z } from 'zod';
import { invalidRequest, type FieldError } from '../domain/errors.js';
import { plainError } from './plain-errors.js';

/** What was parsed: the fields of a body, the parameters of a query, a command's options, or one value of the path. */
const PLACES: Record<string, { noun: string; where: FieldError['in'] }> = {
  'request body': { noun: 'field', where: 'body' },
  form: { noun: 'field', where: 'body' },
  query: { noun: 'query parameter', where: 'query' },
  options: { noun: 'option', where: 'options' },
};

/** One entry per field at fault; an unknown field is named itself rather than its parent. */
export function fieldErrors(error: z.ZodError, what = 'request body'): FieldError[] {
  const place = PLACES[what];
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String).join('.');
    const parent = at ? `${at}.` : '';
    const named = (field: string, message: string): FieldError => ({ field, message: withoutOwnName(field, message), in: place?.where ?? 'path' });
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => named(`${parent}${key}`, 'is not a field of this request'));
    return [named(at || (place ? '(body)' : what), issue.message)];
  });
}

/** Validates with the same zod schema the OpenAPI description is generated from; failures are 400 invalid_request. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.output<S> {
  const result = schema.safeParse(input ?? {}, { error: plainError });
  if (result.success) return result.data;
  const errors = fieldErrors(result.error, what);
  const first = errors[0]!;
  const noun = PLACES[what]?.noun ?? 'path parameter';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more in errors)` : '';
  const joiner = /^(is|must|has|needs|was) /.test(first.message) ? ' ' : ': ';
  throw invalidRequest(`The ${noun} "${first.field}"${joiner}${first.message}${more}.`, errors);
}

/** "name is at most 100 characters" reads "is at most 100 characters" beside the field it names. */
function withoutOwnName(field: string, message: string): string {
  const own = field.split('.').pop()!;
  return message.startsWith(`${own} `) ? message.slice(own.length + 1) : message;
}
