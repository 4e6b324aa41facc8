import { z } from 'zod';
import { createOperatorBody, createdOperatorObject, listUsersQuery, operatorList, operatorObject, searchPaymentsQuery, updateOperatorBody } from '../../schemas/console.js';
import { userIdParam } from '../../schemas/admin.js';
import { paymentObject } from '../../schemas/objects.js';
import { userObject } from '../../schemas/admin-objects.js';
import * as ex from './examples.js';
import type { Operation } from './operation.js';

const OPERATOR_ID = 'usr_3c5e7g9j1l3n5q7s9u1w3y5a';
const operator = { id: OPERATOR_ID, object: 'operator', email: 'ops@telepurse.example', role: 'finance', status: 'active', totp: true, totp_required: true, setup_pending: false, created_at: '2026-12-01T10:00:00.000Z', setup_url: null };
const paymentOfAny = paymentObject.extend({ merchant_id: z.string().meta({ description: 'The merchant the payment belongs to' }) }).meta({ id: 'PaymentOfAnyMerchant' });
const user = { id: 'usr_8r0t2v4x6z8b0d2f4h6k8m0p', object: 'user', merchant_id: ex.MERCHANT_ID, email: 'staff@shop.example.net', role: 'staff', status: 'active', totp: false, setup_pending: false, created_at: '2026-12-01T10:00:00.000Z', setup_url: null };

/** The console's operations for scripts and the admin API parity of docs/operator-guide.md#operator-console. */
export const consoleOps: Operation[] = [
  {
    method: 'get', path: '/operators', tag: 'Operators', summary: 'List operator users', description: 'The console\'s users, oldest first, with their role and whether an authenticator is enrolled.',
    answer: { status: 200, description: 'Every operator user', schema: operatorList, example: { data: [operator] } }, errors: [],
  },
  {
    method: 'post', path: '/operators', tag: 'Operators', summary: 'Create an operator user',
    description: 'An operator user of the console (admin, finance, support or cashier). The one-time set-up link (72 hours) is in this answer only; admin and finance enrol an authenticator before anything else.',
    body: createOperatorBody, bodyExample: { email: 'ops@telepurse.example', role: 'finance' },
    answer: { status: 201, description: 'The operator and its set-up link', schema: createdOperatorObject, example: { id: OPERATOR_ID, object: 'operator', email: 'ops@telepurse.example', role: 'finance', status: 'active', setup_url: 'https://pay.telepurse.dev/console/setup/3kq9x2m4v7b1n8c5z6w0', setup_expires_at: '2026-12-04T10:00:00.000Z' } },
    errors: ['user_exists'],
  },
  {
    method: 'patch', path: '/operators/:id', tag: 'Operators', summary: 'Change an operator user',
    description: 'Role; status (disabled: it cannot sign in, and every session of it ends at once); reset (the password is removed, every session ends, and a new set-up link is in this answer only); reset_totp (the authenticator is removed).',
    params: { id: userIdParam.meta({ description: 'The operator user id', example: OPERATOR_ID }) }, body: updateOperatorBody, bodyExample: { role: 'support' },
    answer: { status: 200, description: 'The operator as changed', schema: operatorObject, example: { ...operator, role: 'support' } }, errors: ['user_not_found'],
  },
  {
    method: 'get', path: '/users', tag: 'Merchants', summary: 'List back-office users', description: 'Merchants\' users across merchants, by id, a page at a time; filtered by merchant_id or email.',
    query: listUsersQuery,
    answer: { status: 200, description: 'A page of users', schema: z.strictObject({ data: z.array(userObject), has_more: z.boolean(), next_cursor: z.string().nullable() }).meta({ id: 'UserList' }), example: { data: [user], has_more: false, next_cursor: null } },
    errors: [],
  },
  {
    method: 'get', path: '/payments', tag: 'Payments', summary: 'Find payments across merchants',
    description: 'q: a payment id, an invoice number, an order number or a phone (any punctuation), across every merchant; newest first, by pages. Without q, the newest payments.',
    query: searchPaymentsQuery,
    answer: { status: 200, description: 'A page of payments, each with its merchant', schema: z.strictObject({ data: z.array(paymentOfAny), has_more: z.boolean(), next_cursor: z.string().nullable() }).meta({ id: 'PaymentOfAnyMerchantList' }), example: { data: [{ ...ex.payment, merchant_id: ex.MERCHANT_ID }], has_more: false, next_cursor: null } },
    errors: [],
  },
];
