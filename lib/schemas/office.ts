import { z } from 'zod';
import { LINK_CHANNELS } from '../domain/messenger.js';
import { RECEIPT_CHANNELS } from '../domain/receipt.js';
import { amountInput, dateOrDateTime, displayName, phoneInput } from './common.js';
import { PAYMENT_STATUSES } from '../domain/payment.js';
import { ROLES } from '../domain/office.js';
import { LANGS } from '../i18n/index.js';
import type { ShopId } from '../domain/ids.js';
import { unlessMissing } from './plain-errors.js';

const shopId = z.string().regex(/^shp_[0-9a-z]{24,}$/, 'a shop id looks like shp_ and letters or digits').transform((v) => v as ShopId);
// an empty field of a GET form is "no filter"
const blank = (v: unknown) => (v === '' ? undefined : v);

/** The journal's filters (docs/merchant-guide.md#back-office): docs/merchant-guide.md#the-json-api GET /payments plus shop_id and q; ?lang= switches the language. */
export const journalQuery = z.strictObject({
  status: z.preprocess(blank, z.enum(PAYMENT_STATUSES).optional()),
  shop_id: z.preprocess(blank, shopId.optional()),
  q: z.preprocess(blank, z.string().max(100).optional()),
  created_from: z.preprocess(blank, dateOrDateTime.optional()),
  created_to: z.preprocess(blank, dateOrDateTime.optional()),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
  lang: z.enum(LANGS).optional(),
  enrolled: z.literal('1').optional(),
  // docs/merchant-guide.md#test-mode: the office's live/test switch
  mode: z.enum(['live', 'test']).optional(),
});

export type JournalQuery = z.output<typeof journalQuery>;

const optionalAmount = z.preprocess(blank, amountInput.optional());

export const refundForm = z.object({ amount: optionalAmount });
export const captureForm = z.object({ amount: optionalAmount });
// docs/merchant-guide.md#sharing-a-pay-link-from-your-phone: `share` sends nothing
export const linkForm = z.object({ shop_id: shopId, amount: amountInput, description: z.string().max(255).optional(), phone: phoneInput, channel: z.enum(LINK_CHANNELS).default('sms') });
export const userForm = z.object({ email: z.email({ error: unlessMissing('is not an e-mail address') }).max(254).transform((v) => v.toLowerCase()), role: z.enum(ROLES) });
export const keyForm = z.object({ name: z.preprocess(blank, displayName.optional()), mode: z.enum(['live', 'test']).optional() });
export const shopForm = z.object({
  name: displayName,
  status: z.enum(['active', 'disabled']).optional(),
  methods: z.array(z.enum(['code', 'link', 'manual_capture'])).min(1, 'choose at least one method'),
  // docs/buyer-guide.md#receipts
  receipt: z.object({ channel: z.enum(RECEIPT_CHANNELS) }).optional(),
});
