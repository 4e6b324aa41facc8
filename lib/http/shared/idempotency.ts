import type { AppContext, AppMiddleware } from './context.js';
import type { ActionNote } from '../../use-cases/shared/action-note.js';
import type { Deps } from '../../use-cases/shared/deps.js';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey, type KeyOwner } from '../../use-cases/shared/idempotency-keys.js';
import { AppError, isAppError } from '../../domain/errors.js';
import { problemOf } from './problem.js';
import { idempotencyKeyOf, requestFingerprint } from './idempotency-key.js';
import { rowKeyOf } from '../../domain/request-key.js';

// answers that say "try again later": storing them would pin the client to them for a day
const NOT_STORED = new Set(['idempotency_key_in_flight', 'rate_limited', 'too_many_attempts', 'sms_send_failed']);

/**
 * `Idempotency-Key` on POSTs (docs/merchant-guide.md#the-json-api, and the operator API alike): the same key with the same
 * request replays the first answer for `ttlSeconds`; with another request it is 422
 * idempotency_key_reused; while the first is still running it is 409. A key whose request died in
 * flight is taken over after IDEMPOTENCY_IN_FLIGHT_SECONDS. `ownerOf` says whose keys these are.
 */
export function idempotency(deps: Pick<Deps, 'db' | 'clock' | 'config'>, ownerOf: (ctx: AppContext) => KeyOwner): AppMiddleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST') return next();
    const key = idempotencyKeyOf(ctx);
    if (!key) return next();
    const owner = ownerOf(ctx);
    const fingerprint = requestFingerprint(ctx);
    const claim = await claimIdempotencyKey(deps, owner, key, fingerprint);
    if (!claim.claimed) {
      const existing = claim.existing;
      if (existing.fingerprint !== fingerprint) {
        throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
      }
      if (existing.state === 'in_flight') throw new AppError('idempotency_key_in_flight');
      ctx.status = existing.statusCode!;
      ctx.set('Idempotent-Replayed', 'true');
      if (existing.statusCode! >= 400) ctx.type = 'application/problem+json';
      ctx.body = existing.responseBody;
      return;
    }
    // once this record is purged (24 h), the key kept on a payment or refund still tells requests apart
    ctx.state.idempotencyKey = rowKeyOf(key, fingerprint);
    let keptInAction = false;
    ctx.state.keepAnswer = async (trx, status, body) => {
      await completeIdempotencyKey({ db: trx }, owner, key, status, withoutSecrets(body));
      keptInAction = true; // read only once the action answered, that is after its transaction committed
    };
    try {
      await next();
    } catch (err) {
      if (isAppError(err) && err.status < 500 && !NOT_STORED.has(err.code)) {
        await completeIdempotencyKey(deps, owner, key, err.status, problemOf(err, ctx.state.requestId));
      } else {
        await releaseIdempotencyKey(deps, owner, key);
      }
      throw err;
    }
    if (ctx.status >= 500) await releaseIdempotencyKey(deps, owner, key);
    else if (!keptInAction) await completeIdempotencyKey(deps, owner, key, ctx.status, withoutSecrets(ctx.body));
  };
}

/**
 * For a route whose use-case makes something that has no key of its own to be found by again (a
 * shop, a purse, an API key, a new secret): the answer is stored with the change, in its
 * transaction, so a retry after a crash replays it instead of making a second one. `answer` is
 * the route's own answer body, so what is replayed is what was sent (secrets removed).
 */
export function answerNote<R>(ctx: AppContext, status: number, answer: (result: R) => unknown): ActionNote<R> | undefined {
  const keep = ctx.state.keepAnswer;
  return keep && ((trx, result) => keep(trx, status, answer(result)));
}

// docs/merchant-guide.md#shops-methods-and-keys: a secret, key, set-up link or voucher code is shown once; what is kept (and replayed) has these values
// removed, at any depth, so no answer the middleware stores holds one readable
const SHOWN_ONCE = new Set(['key', 'api_key', 'secret_key', 'webhook_secret', 'setup_url', 'code']);
// the merchant's own fields are its data, whatever their names: replayed as sent
const MERCHANT_DATA = new Set(['metadata']);

function withoutSecrets(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(withoutSecrets);
  if (!body || typeof body !== 'object' || Object.getPrototypeOf(body) !== Object.prototype) return body;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, SHOWN_ONCE.has(k) ? null : MERCHANT_DATA.has(k) ? v : withoutSecrets(v)]));
}
