import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { ERROR_CATALOGUE, type ErrorCode, type ProblemExtra } from '../../domain/errors.js';
import { problemObject } from '../../schemas/objects.js';
import { idempotencyKeyHeader } from '../../schemas/common.js';
import { WEBHOOK_EVENTS, notificationDeadAlert, prerequestNotification, resultNotification } from '../../schemas/events.js';
import * as ex from './examples.js';
import type { ApiDescription, Operation } from './operation.js';

/** What a problem of each code looks like, as the reference shows it. */
const DETAILS: Partial<Record<ErrorCode, [string, ProblemExtra?]>> = {
  invalid_request: ['The field "amount" is required.', { errors: [{ field: 'amount', message: 'is required', in: 'body' }] }],
  unauthorized: ['Send your API key as Authorization: Bearer tp_live_…'],
  code_invalid: ['The code is not right.', { tries_left: 2 }],
  rate_limited: ['Too many requests with this API key; slow down', { retry_after: 1, limit: 'api_key' }],
  invalid_state: ['Cannot capture a payment that is succeeded', { payment_status: 'succeeded' }],
  refund_exceeds_payment: ['At most 10.08 USD can still be refunded', { refundable: '10.08' }],
  already_paid: ['Order 1042 is already paid', { payment_id: ex.PAYMENT_ID }],
  payment_no_conflict: ['Order 1042 has an open payment of another amount', { payment_id: ex.PAYMENT_ID }],
  payout_not_pending: ['Payout po_6p8r0t2v4x6z8b0d2f4h6k8m is already paid', { payout_status: 'paid' }],
  insufficient_funds: ['The wallet does not hold enough money', { purse: ex.PAYER_PURSE }],
  method_not_enabled: ['This shop does not offer pay links', { method: 'link' }],
};

const operationId = (op: Operation) =>
  `${op.method}${op.path.replace(/\.csv$/, 'Csv').replace(/[:{}]/g, '').replace(/[/_.](\w)/g, (_m, c: string) => c.toUpperCase())}`;

/** What the shared middleware may answer beside the operation's own errors: the API's, the idempotency's (idempotency.ts), a body's. */
function errorCodes(api: ApiDescription, op: Operation): Set<ErrorCode> {
  return new Set<ErrorCode>([
    ...api.errors,
    ...(op.idempotent ? ['idempotency_key_in_flight', 'idempotency_key_reused'] as const : []),
    ...(op.body || op.method === 'post' || op.method === 'patch' ? ['payload_too_large'] as const : []),
    ...op.errors,
  ]);
}

function errorResponses(api: ApiDescription, op: Operation): ZodOpenApiResponsesObject {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodes(api, op)) {
    const status = ERROR_CATALOGUE[code][0];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => [String(status), {
    description: codes.map((c) => `\`${c}\`: ${ERROR_CATALOGUE[c][1]}`).join('; '),
    content: {
      'application/problem+json': {
        schema: problemObject,
        examples: Object.fromEntries(codes.map((code) => {
          const [detail, extra] = DETAILS[code] ?? [`${ERROR_CATALOGUE[code][1]}.`];
          return [code, { summary: ERROR_CATALOGUE[code][1], value: ex.problem(status, code, ERROR_CATALOGUE[code][1], detail, extra) }];
        })),
      },
    },
  }]));
}

function success(op: Operation): ZodOpenApiResponseObject {
  const { answer } = op;
  if (answer.csv) {
    return { description: answer.description, content: { 'text/csv': { schema: { type: 'string' }, example: `${answer.csv.join(',')}\r\n` } } };
  }
  if (!answer.schema) return { description: answer.description };
  // docs/merchant-guide.md#conventions: a 201 says where what it made is read
  const headers = answer.status === 201 ? { Location: { description: 'Where what was made is read', schema: { type: 'string' as const } } } : undefined;
  return { description: answer.description, ...(headers && { headers }), content: { 'application/json': { schema: answer.schema, example: answer.example } } };
}

function operation(api: ApiDescription, op: Operation): ZodOpenApiOperationObject {
  const headers = op.idempotent
    ? z.object({ 'Idempotency-Key': idempotencyKeyHeader.optional() })
    : undefined;
  return {
    operationId: operationId(op),
    tags: [op.tag],
    summary: op.summary,
    description: op.description,
    security: [{ [api.security.name]: [] }],
    requestParams: {
      ...(op.params ? { path: z.object(op.params) } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(headers ? { header: headers } : {}),
    },
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body, example: op.bodyExample } } } } : {}),
    responses: { [String(op.answer.status)]: success(op), ...errorResponses(api, op) },
  };
}

/** Result notification, pre-request and webhook events: what the service sends to the merchant (OpenAPI `webhooks`). */
function webhooks(): ZodOpenApiPathsObject {
  const answer = { '200': { description: 'Received (any 2xx); anything else, or no answer within the timeout, is retried' } };
  const hooks: ZodOpenApiPathsObject = {
    result: {
      post: {
        operationId: 'resultNotification', tags: ['Notifications'], summary: 'Result notification (docs/merchant-guide.md#the-result-notification)',
        description: 'POSTed to the Result URL once a payment is paid (or captured). Check LMI_HASH (or LMI_HASH2) with your secret key, and count each LMI_SYS_INVS_NO once: deliveries repeat until you answer 2xx.',
        requestBody: { content: { 'application/x-www-form-urlencoded': { schema: resultNotification } } }, responses: answer,
      },
    },
    prerequest: {
      post: {
        operationId: 'preRequest', tags: ['Notifications'], summary: 'Pre-request (docs/merchant-guide.md#the-result-notification)',
        description: 'With prerequest: true, POSTed to the Result URL before a code is sent. Answer YES to let the payment go on; anything else declines it.',
        requestBody: { content: { 'application/x-www-form-urlencoded': { schema: prerequestNotification } } },
        responses: { '200': { description: 'The body YES lets the payment go on' } },
      },
    },
  };
  for (const [type, event] of Object.entries(WEBHOOK_EVENTS)) {
    hooks[type] = {
      post: {
        operationId: `webhook${type.replace(/\.(\w)/g, (_m, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase())}`,
        tags: ['Notifications'], summary: `${type} (webhook)`,
        description: `${event.summary}. POSTed to the shop's webhook_url, signed by Standard Webhooks: verify webhook-signature over "webhook-id.webhook-timestamp.body" with the webhook secret. Deliveries of one event share webhook-id.`,
        requestBody: { content: { 'application/json': { schema: event.schema } } }, responses: answer,
      },
    };
  }
  hooks['notification.dead'] = {
    post: {
      operationId: 'alertNotificationDead', tags: ['Notifications'], summary: 'notification.dead (alert, docs/merchant-guide.md#alerts)',
      description: 'Not POSTed anywhere: when a Result notification or a webhook gives up, the shop\'s alert recipients get this by e-mail and SMS. Shown here for its data.',
      requestBody: { content: { 'application/json': { schema: notificationDeadAlert } } }, responses: { '200': { description: 'Mail and SMS need no answer' } },
    },
  };
  return hooks;
}

/** An OpenAPI 3.1 document of one API, from the schemas its routes validate with (zod-openapi). */
export function openApiDocument(api: ApiDescription, publicUrl: string, withWebhooks: boolean) {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of api.operations) {
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [op.method]: operation(api, op) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title: api.title, version: '1.0.0', description: api.description, license: { name: 'MIT', identifier: 'MIT' } },
    servers: [{ url: `${publicUrl.replace(/\/$/, '')}${api.basePath}` }],
    tags: withWebhooks && !api.tags.some((t) => t.name === 'Notifications') ? [...api.tags, { name: 'Notifications', description: 'What the service sends you.' }] : api.tags,
    security: [{ [api.security.name]: [] }],
    components: { securitySchemes: { [api.security.name]: { type: 'http', scheme: 'bearer', description: api.security.description } } },
    paths,
    ...(withWebhooks ? { webhooks: webhooks() } : {}),
  });
}
