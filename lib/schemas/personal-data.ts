import { z } from 'zod';

/** docs/operator-guide.md#erasure-and-export: what an erasure answers; the phone masked, and the rows each table had. */
export const erasureObject = z.strictObject({
  phone: z.string().meta({ description: 'The phone, masked to its last 2 digits', example: '+*********67' }),
  erased: z.literal(true),
  rows: z.record(z.string(), z.number().int()).meta({ description: 'How many rows of each table named the phone (all 0 on a second erasure)' }),
}).meta({ id: 'PhoneErasure' });

const row = z.record(z.string(), z.unknown());

/** Everything kept about a phone. */
export const phoneExportObject = z.strictObject({
  phone: z.string(),
  exported_at: z.string(),
  wallets: z.array(z.strictObject({ purse: z.string(), currency: z.string(), mode: z.string(), balance: z.string(), held: z.string(), created_at: z.string() })),
  history: z.array(z.strictObject({ purse: z.string(), transfer_id: z.string(), kind: z.string(), amount: z.string(), balance_after: z.string(), payment: z.string().nullable(), at: z.string() })),
  payments: z.array(z.strictObject({
    id: z.string(), shop: z.string(), amount: z.string(), currency: z.string(), status: z.string(), description: z.string(),
    refunded: z.string(), created_at: z.string(), paid_at: z.string().nullable(),
  })),
  passkeys: z.array(row).meta({ description: 'Its passkeys: id, credential_id, created_at, last_used_at' }),
  sessions: z.array(row).meta({ description: 'Its /me sessions: created_at, last_seen_at, signed_in_with' }),
  receipts: z.array(row).meta({ description: 'The receipts of its payments: payment_id, created_at' }),
  messages: z.array(row).meta({ description: 'The messages sent to it: id, payment_id, kind, channel, status, text (codes blanked; empty after 30 days), created_at' }),
  records: z.record(z.string(), z.array(row)).meta({ description: 'Every row of every table that names the phone, by table; secrets (hashes, tokens) left out' }),
}).meta({ id: 'PhoneExport' });
