import type { Knex } from '../store/db.js';

/**
 * The audit entry of a back-office action (spec §12), written by the use-case inside the very
 * transaction that makes the change, once it knows what it did: the change and its entry commit
 * together or not at all. A repeated action that changes nothing (a capture or void replayed) writes none.
 */
export type AuditNote<R> = (trx: Knex.Transaction, result: R) => Promise<void>;
