import type { AppContext } from './context.js';
import { AppError } from '../../domain/errors.js';
import { multipartFieldsOf } from './multipart.js';

/** A posted form (application/x-www-form-urlencoded, or the fields of a multipart one read by multipartForms), each field once at most. */
export function formOf(ctx: AppContext): URLSearchParams {
  const multipart = multipartFieldsOf(ctx);
  if (multipart) return multipart;
  if (!ctx.is('application/x-www-form-urlencoded')) throw new AppError('unsupported_media_type', 'Send the form as application/x-www-form-urlencoded');
  return new URLSearchParams(typeof ctx.request.body === 'string' ? ctx.request.body : '');
}

export function field(form: URLSearchParams, name: string, max = 500): string {
  const values = form.getAll(name);
  if (values.length > 1) throw new AppError('invalid_request', `${name} was sent twice`, { errors: [{ field: name, message: 'sent twice' }] });
  const value = values[0] ?? '';
  if (value.length > max) throw new AppError('invalid_request', `${name} is too long`, { errors: [{ field: name, message: `at most ${max} characters` }] });
  return value;
}
