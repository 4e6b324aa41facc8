import { phoneInput } from '../../schemas/common.js';
import { erasureObject, phoneExportObject } from '../../schemas/personal-data.js';
import type { Operation } from './operation.js';

const phone = { phone: phoneInput.meta({ example: '+79031234567' }) };

/** The operator's half of docs/operator-guide.md#erasure-and-export. */
export const phoneOps: Operation[] = [
  {
    method: 'post', path: '/phones/:phone/erase', tag: 'Personal data', summary: 'Erase a phone',
    description: 'Every trace of the phone is masked to its last 2 digits (payments, refunds, messages, alerts, receipts, stored notification bodies, idempotency records, limit counters, audit), its passkeys and /me sessions are deleted and its wallets unlinked. Refused with wallet_not_empty while a linked wallet holds money. A second erasure changes nothing; the audit entry names the operator, not the phone.',
    params: phone,
    answer: { status: 200, description: 'Erased', schema: erasureObject, example: { phone: '+*********67', erased: true, rows: { payments: 3, refunds: 1, sms_messages: 4, wallets: 1 } } },
    errors: ['wallet_not_empty'],
  },
  {
    method: 'get', path: '/phones/:phone/export', tag: 'Personal data', summary: 'Export what is kept about a phone',
    description: 'Its wallets and their history, its payments as the buyer sees them, and every row of every table that names it (secrets left out), as one JSON download: what the buyer gets at /me/export.json.',
    params: phone,
    answer: {
      status: 200, description: 'Everything kept about the phone', schema: phoneExportObject,
      example: { phone: '+79031234567', exported_at: '2026-12-07T10:00:00.000Z', wallets: [{ purse: 'Z123456789012', currency: 'USD', mode: 'live', balance: '0.00', held: '0.00', created_at: '2026-12-01T10:00:00.000Z' }], history: [], payments: [], passkeys: [], sessions: [], receipts: [], messages: [], records: { wallets: [{ purse: 'Z123456789012' }] } },
    },
    errors: [],
  },
];
