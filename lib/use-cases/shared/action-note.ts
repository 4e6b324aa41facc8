import type { Knex } from '../../postgres/db.js';

/**
 * What must commit with an action, written by the use-case inside the very transaction that makes
 * the change, once it knows what it did: the audit entry of a back-office action (docs/merchant-guide.md#back-office), or the
 * answer an API request's Idempotency-Key replays (docs/merchant-guide.md#the-json-api). The change and its note commit together
 * or not at all, so a crash between them can neither hide the change from the audit log nor let a
 * retry with the same key do it twice. A repeated action that changes nothing (a capture or void
 * replayed) writes none.
 */
export type ActionNote<R> = (trx: Knex.Transaction, result: R) => Promise<void>;
