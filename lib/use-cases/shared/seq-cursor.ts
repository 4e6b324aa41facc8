import { AppError } from '../../domain/errors.js';

export type Page<T> = { data: T[]; hasMore: boolean; nextCursor: string | null };

/** An opaque cursor over a table's insertion order (newest first): the last row's sequence number. */
export function encodeSeqCursor(seq: bigint): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

export function decodeSeqCursor(cursor: string | undefined): bigint | undefined {
  if (cursor === undefined) return undefined;
  const match = /^seq:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new AppError('invalid_request', 'cursor is not one this API gave out', { errors: [{ field: 'cursor', message: 'unknown cursor' }] });
  return BigInt(match[1]!);
}
