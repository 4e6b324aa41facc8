import { z } from 'zod';
import { HEX_COLOR } from '../domain/brand.js';
import { httpUrl, phoneInput } from './common.js';
import { unlessMissing } from './plain-errors.js';

/** docs/merchant-guide.md#brand: each field optional (absent: unchanged), null clears it. */
export const brandInput = z.strictObject({
  logo: z.string({ error: unlessMissing('logo is a data URL: data:image/png;base64,… or data:image/svg+xml;base64,…') })
    .max(300_000, 'logo is at most 100 KB').regex(/^data:/i, 'logo is a data URL (data:image/png;base64,…)').nullable().optional()
    .meta({ description: 'A PNG or SVG of at most 100 KB as a data URL; an SVG is sanitized (no script, event attributes, external references or foreignObject). null removes it', example: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=' }),
  color: z.string({ error: unlessMissing('color is #rrggbb') }).regex(HEX_COLOR, 'color is #rrggbb').transform((v) => v.toLowerCase()).nullable().optional()
    .meta({ description: "The main button's colour; darkened on the pages when needed so white text on it keeps a 4.5:1 contrast", example: '#ff6f00' }),
  support_email: z.email({ error: unlessMissing('support_email is not an e-mail address') }).max(254).transform((v) => v.toLowerCase()).nullable().optional(),
  support_phone: phoneInput.nullable().optional().meta({ description: 'With its country code', example: '+49 30 1234567' }),
  terms_url: httpUrl.nullable().optional().meta({ description: "The shop's terms and conditions, linked from the hosted pages" }),
});

export const brandObject = z.strictObject({
  logo: z.string().nullable().meta({ description: "The logo's own address (a path on this service, cacheable: it changes with the logo)", example: '/brand/shp_3b5d7f9h1k3m5p7r9t1v3x5z/0f1e2d3c4b5a69788796a5b4c3d2e1f0.svg' }),
  color: z.string().nullable().meta({ description: 'As set, #rrggbb' }),
  button_color: z.string().nullable().meta({ description: 'The colour the pages use: color darkened until white text on it reads at 4.5:1' }),
  support_email: z.string().nullable(),
  support_phone: z.string().nullable().meta({ description: 'E.164 with +' }),
  terms_url: z.string().nullable(),
}).meta({ id: 'Brand' });

export type BrandInput = z.output<typeof brandInput>;
