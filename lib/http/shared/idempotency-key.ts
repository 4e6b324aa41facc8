import { createHash } from 'node:crypto';
import type { AppContext } from './context.js';
import { AppError } from '../../domain/errors.js';
import { idempotencyKeyHeader } from '../../schemas/common.js';

/** The request's `Idempotency-Key` header, if it sent one; a malformed one is a 400 that names the header. */
export function idempotencyKeyOf(ctx: AppContext): string | undefined {
  const key = ctx.get('Idempotency-Key');
  if (!key) return undefined;
  // the schema the OpenAPI documents show for the header
  if (!idempotencyKeyHeader.safeParse(key).success) {
    throw new AppError('invalid_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
      errors: [{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }],
    });
  }
  return key;
}

/** What identifies a request besides its key: method, path and body. */
export function requestFingerprint(ctx: AppContext): string {
  return createHash('sha256').update(`${ctx.method} ${ctx.path}\n${JSON.stringify(ctx.request.body ?? null)}`).digest('hex');
}
