import { z } from 'zod';
import { addShopWalletBody, createShopBody, updateShopBody } from '../../schemas/admin.js';
import { attemptsQuery, createApiKeyBody, captureBody, confirmBody, createPaymentBody, emptyBody, listPaymentsQuery, paymentObject, phoneBody, problemObject, refundBody, refundObject, testSmsQuery } from '../../schemas/payments.js';
import { ERROR_CATALOGUE } from '../../domain/errors.js';
import { createPayoutBody, listBalanceTransactionsQuery, listPayoutsQuery } from '../../schemas/payouts.js';

type Operation = {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  response?: z.ZodType;
  status?: number;
  errors: (keyof typeof ERROR_CATALOGUE)[];
};

/** Every JSON API operation, with the zod schemas its route validates with. */
export const OPERATIONS: Operation[] = [];

export function describe(op: Operation): void {
  OPERATIONS.push(op);
}

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });

const problemContent = () => ({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });

function errorResponses(codes: Operation['errors']) {
  const byStatus = new Map<number, string[]>();
  for (const code of new Set(['invalid_request', 'unauthorized', ...codes] as Operation['errors'])) {
    const status = ERROR_CATALOGUE[code][0];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].map(([status, list]) => [String(status), { description: list.join(', '), content: problemContent() }]));
}

/** OpenAPI 3.1 (its schemas are JSON Schema 2020-12, which zod emits directly). */
export function openApiDocument(publicUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    const params = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const queryParams = op.query
      ? Object.entries(op.query.shape).map(([name, s]) => ({ name, in: 'query', required: false, schema: schema(s as z.ZodType) }))
      : [];
    paths[path] ??= {};
    paths[path][op.method] = {
      summary: op.summary,
      operationId: `${op.method}${path.replace(/[{}]/g, '').replace(/\/(\w)/g, (_m, c: string) => c.toUpperCase())}`,
      parameters: [...params, ...queryParams, ...(op.method === 'post' ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }] : [])],
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(op.body) } } } } : {}),
      responses: {
        [String(op.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: op.response === paymentObject ? { $ref: '#/components/schemas/Payment' } : op.response ? schema(op.response) : {} } } },
        ...errorResponses(op.errors),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'telepurse merchant API',
      version: '1',
      description: 'Payments from a buyer\'s phone number. Errors are RFC 9457 problem+json with a stable code; every POST accepts Idempotency-Key.',
    },
    servers: [{ url: `${publicUrl.replace(/\/$/, '')}/api/v1` }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'tp_live_… or tp_test_…' } },
      schemas: { Payment: schema(paymentObject), Problem: schema(problemObject) },
    },
    paths,
  };
}

describe({ method: 'post', path: '/payments', summary: 'Create a payment (with phone: send the code or a pay link at once)', body: createPaymentBody, response: paymentObject, status: 201, errors: ['already_paid', 'payment_no_conflict', 'no_wallet', 'rate_limited', 'idempotency_key_reused'] });
describe({ method: 'get', path: '/payments', summary: 'List payments, newest first', query: listPaymentsQuery, errors: [] });
describe({ method: 'get', path: '/payments/:id', summary: 'Get a payment', response: paymentObject, errors: ['payment_not_found'] });
describe({ method: 'post', path: '/payments/:id/phone', summary: 'Set the phone and send a code', body: phoneBody, response: paymentObject, errors: ['payment_not_found', 'no_wallet', 'rate_limited', 'too_many_attempts', 'invalid_state', 'sms_send_failed'] });
describe({ method: 'post', path: '/payments/:id/resend', summary: 'Send a new code (the old one dies)', body: emptyBody, response: paymentObject, errors: ['payment_not_found', 'rate_limited', 'too_many_attempts', 'invalid_state', 'sms_send_failed'] });
describe({ method: 'post', path: '/payments/:id/confirm', summary: 'Confirm with the code: pays (or authorizes)', body: confirmBody, response: paymentObject, errors: ['payment_not_found', 'code_invalid', 'code_expired', 'too_many_attempts', 'insufficient_funds', 'invalid_state'] });
describe({ method: 'post', path: '/payments/:id/cancel', summary: 'Cancel an open payment', body: emptyBody, response: paymentObject, errors: ['payment_not_found', 'invalid_state'] });
describe({ method: 'post', path: '/payments/:id/capture', summary: 'Capture all or part of an authorized payment (capture: manual)', body: captureBody, response: paymentObject, errors: ['payment_not_found', 'invalid_state'] });
describe({ method: 'post', path: '/payments/:id/void', summary: 'Release the hold of an authorized payment', body: emptyBody, response: paymentObject, errors: ['payment_not_found', 'invalid_state'] });
describe({ method: 'post', path: '/payments/:id/refunds', summary: 'Refund all or part of a payment to the payer\'s phone (or another phone)', body: refundBody, response: refundObject, status: 201, errors: ['payment_not_found', 'refund_exceeds_payment', 'refund_window_closed', 'insufficient_funds', 'no_wallet', 'invalid_state', 'idempotency_key_reused'] });
describe({ method: 'get', path: '/payments/:id/refunds', summary: 'Refunds of a payment, newest first', errors: ['payment_not_found'] });
describe({ method: 'get', path: '/payments/:id/messages', summary: 'The SMS sent for a payment (codes blanked out) and their delivery status', errors: ['payment_not_found'] });
describe({ method: 'get', path: '/payments/:id/notifications', summary: 'Result notifications, webhooks and pre-requests of a payment, with every delivery attempt', errors: ['payment_not_found'] });
describe({ method: 'get', path: '/notifications/:id/attempts', summary: 'Every delivery attempt of a notification, newest first, paged', query: attemptsQuery, errors: ['notification_not_found'] });
describe({ method: 'post', path: '/notifications/:id/redeliver', summary: 'Queue one more delivery of a notification (at most MAX_REDELIVERIES times)', body: emptyBody, status: 202, errors: ['notification_not_found', 'redelivery_limit_reached'] });
describe({ method: 'get', path: '/api_keys', summary: 'Your API keys (never the keys themselves): prefix, name, created, last used, revoked', errors: [] });
describe({ method: 'post', path: '/api_keys', summary: 'Create an API key; the key is in this answer only (an Idempotency-Key replay shows it as null)', body: createApiKeyBody, status: 201, errors: [] });
describe({ method: 'delete', path: '/api_keys/:id', summary: 'Revoke an API key at once; the last active key cannot be revoked', status: 204, errors: ['api_key_not_found', 'last_api_key'] });
describe({ method: 'get', path: '/shops', summary: 'Your shops, with their settings and payee purses (never their secrets)', errors: [] });
describe({ method: 'post', path: '/shops', summary: 'Add a shop with its payee purse; its secret key and webhook secret are in this answer only', body: createShopBody, status: 201, errors: [] });
describe({ method: 'get', path: '/shops/:id', summary: 'One of your shops', errors: ['shop_not_found'] });
describe({ method: 'patch', path: '/shops/:id', summary: 'Change the settings of a shop (status, methods, URLs…); secrets and the fee are 403', body: updateShopBody, errors: ['shop_not_found', 'forbidden'] });
describe({ method: 'post', path: '/shops/:id/wallets', summary: 'Add a payee purse in another currency (one per currency)', body: addShopWalletBody, status: 201, errors: ['shop_not_found', 'wallet_exists'] });
describe({ method: 'post', path: '/shops/:id/secret_key', summary: 'Rotate the secret key (LMI_HASH); the new key is in this answer only', errors: ['shop_not_found'] });
describe({ method: 'post', path: '/shops/:id/webhook_secret', summary: 'Rotate the webhook secret; for 24 h webhooks carry signatures with the old and the new one', errors: ['shop_not_found'] });
describe({ method: 'get', path: '/wallets/:purse', summary: 'Balance of one of your wallets', errors: ['wallet_not_found'] });
describe({ method: 'get', path: '/test/sms', summary: 'Test mode: the SMS (with codes) your test payments sent to a phone', query: testSmsQuery, errors: ['forbidden'] });
describe({ method: 'get', path: '/balance', summary: 'Each payee purse: balance, held, pending (not available yet) and payable money', errors: [] });
describe({ method: 'get', path: '/balance_transactions', summary: 'Every movement of your wallets, newest first; payout= lists what a payout settled', query: listBalanceTransactionsQuery, errors: [] });
describe({ method: 'post', path: '/payouts', summary: 'Pay out all payable money of a wallet now (payout_minimum applies to scheduled runs only)', body: createPayoutBody, status: 201, errors: ['wallet_not_found', 'nothing_payable'] });
describe({ method: 'get', path: '/payouts', summary: 'Your payouts, newest first', query: listPayoutsQuery, errors: [] });
describe({ method: 'get', path: '/payouts/:id', summary: 'One payout', errors: ['payout_not_found'] });
describe({ method: 'get', path: '/payouts/:id/transactions.csv', summary: 'The statement (CSV): the transactions a payout settled; the net column sums to its amount', errors: ['payout_not_found'] });
