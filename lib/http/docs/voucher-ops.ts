import { createVouchersBody, listVouchersQuery, voucherBatchObject, voucherIdParam, voucherList, voucherObject } from '../../schemas/vouchers.js';
import type { Operation } from './operation.js';

const VOUCHER = {
  id: 'vch_8d2kq7x1m4t9w3c6v0n5p2r8', object: 'voucher', batch_id: 'vbt_3n7w2k9q1x5m8c4t6v0p2r7d', status: 'active', amount: '10.00', currency: 'USD',
  mode: 'live', expires_at: '2027-06-30T00:00:00.000Z', created_at: '2026-12-07T10:00:00.000Z', ended_at: null, redeemed_purse: null,
};

/** The operator's vouchers (docs/operator-guide.md#vouchers-and-cash-in). */
export const voucherOps: Operation[] = [
  {
    method: 'post', path: '/vouchers', tag: 'Vouchers', summary: 'Issue a batch of vouchers',
    description: 'count (1 to 10,000) vouchers of one amount: their total moves from issuance to the voucher float wallet of the currency and mode. The codes (16 characters of Crockford base32, XXXX-XXXX-XXXX-XXXX) are in this answer only and kept only as keyed hashes; a replay with the same Idempotency-Key answers the same batch with every code null.',
    body: createVouchersBody, bodyExample: { currency: 'USD', amount: '10.00', count: 2, expires_at: '2027-06-30T00:00:00Z' },
    answer: {
      status: 201, description: 'The batch and its codes', schema: voucherBatchObject,
      example: { batch_id: VOUCHER.batch_id, vouchers: [{ id: VOUCHER.id, code: '7K3M-Q9XW-2C4T-HN8R', amount: '10.00', currency: 'USD', expires_at: VOUCHER.expires_at }] },
    },
    errors: [],
  },
  {
    method: 'get', path: '/vouchers', tag: 'Vouchers', summary: 'List vouchers',
    description: 'By id, a page at a time, of a batch and of a status (active, redeemed, expired, void). Never the code.',
    query: listVouchersQuery,
    answer: { status: 200, description: 'A page of vouchers', schema: voucherList, example: { data: [VOUCHER], has_more: false, next_cursor: null } }, errors: [],
  },
  {
    method: 'post', path: '/vouchers/:id/void', tag: 'Vouchers', summary: 'Void a voucher',
    description: 'An active voucher becomes void and its money goes back from the float to issuance; its code is refused from then on. Voiding a void voucher again changes nothing.',
    params: { id: voucherIdParam.meta({ example: VOUCHER.id }) },
    answer: { status: 200, description: 'The voucher, void', schema: voucherObject, example: { ...VOUCHER, status: 'void', ended_at: '2026-12-08T09:00:00.000Z' } },
    errors: ['voucher_not_found', 'voucher_not_active'],
  },
];
