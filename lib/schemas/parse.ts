import type { z } from 'zod';
import { invalidRequest, type FieldError } from '../domain/errors.js';

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}

/** Validates with the same zod schema the OpenAPI description is generated from; failures are 400 invalid_request. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const errors = fieldErrors(result.error);
  const first = errors[0]!;
  throw invalidRequest(`The ${what} is not valid: ${first.field}: ${first.message}`, errors);
}
