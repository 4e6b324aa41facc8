import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppContext, AppState } from '../shared/context.js';
import type { PayDeps } from '../../use-cases/shared/deps.js';
import { AppError } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/secrets.js';
import { signatureValid, statusesOf } from '../../messenger/webhook.js';
import { recordWhatsappStatuses } from '../../use-cases/messages/record-whatsapp-statuses.js';

/** A status batch is a few kilobytes; this leaves room and no more. */
const MAX_HOOK_BYTES = 256 * 1024;

const rawBodies = new WeakMap<object, Buffer>();

/** The bytes of a POST to /hooks/, read before the body parser: a signature is checked over exactly what was sent. */
export function rawHookBodies(): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || !ctx.path.startsWith('/hooks/')) return next();
    ctx.disableBodyParser = true;
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of ctx.req) {
      length += (chunk as Buffer).length;
      if (length > MAX_HOOK_BYTES) throw new AppError('payload_too_large', `A webhook is at most ${MAX_HOOK_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
    rawBodies.set(ctx.req, Buffer.concat(chunks));
    return next();
  };
}

/** Callbacks of the messaging platforms (docs/operator-guide.md#whatsapp-channel): GET verifies the subscription, POST carries statuses. */
export function hookRoutes(deps: PayDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/hooks' });
  router.get('/whatsapp', (ctx) => {
    const verifyToken = deps.config.whatsappVerifyToken;
    const q = ctx.query;
    const challenge = typeof q['hub.challenge'] === 'string' ? q['hub.challenge'] : '';
    const token = typeof q['hub.verify_token'] === 'string' ? q['hub.verify_token'] : '';
    if (!verifyToken || q['hub.mode'] !== 'subscribe' || !secretsEqual(token, verifyToken) || !/^[\x21-\x7e]{1,256}$/.test(challenge)) {
      throw new AppError('forbidden', 'The verify token does not match');
    }
    ctx.type = 'text/plain';
    ctx.body = challenge;
  });
  router.post('/whatsapp', async (ctx) => {
    const body = signedBody(ctx, deps.config.whatsappAppSecret);
    const changed = await recordWhatsappStatuses(deps, statusesOf(body));
    ctx.body = { received: true, changed };
  });
  return router;
}

/** 401 unless X-Hub-Signature-256 signs the raw body with the app secret; then the body as JSON. */
function signedBody(ctx: AppContext, appSecret: string | null): unknown {
  const raw = rawBodies.get(ctx.req) ?? Buffer.alloc(0);
  if (!appSecret || !signatureValid(appSecret, raw, ctx.get('X-Hub-Signature-256') || undefined)) {
    throw new AppError('unauthorized', 'The X-Hub-Signature-256 signature does not match');
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new AppError('invalid_request', 'The webhook body is not JSON');
  }
}
