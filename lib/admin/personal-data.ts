import type { Deps } from '../use-cases/shared/deps.js';
import type { Outcome } from './operations.js';
import type { Phone } from '../domain/phone.js';
import { erasePhone, type Eraser } from '../use-cases/buyers/erase-phone.js';
import { exportPhone } from '../use-cases/buyers/export-phone.js';

/** POST /admin/v1/phones/{phone}/erase and `phones:erase`: the answer names the phone masked only (it is kept as an idempotent replay). */
export async function adminErasePhone(deps: Deps, phone: Phone, eraser: Eraser): Promise<Outcome> {
  const { masked, rows } = await erasePhone(deps, phone, eraser);
  return { created: false, body: { phone: masked, erased: true, rows } };
}

/** GET /admin/v1/phones/{phone}/export and `phones:export`: everything kept about the phone. */
export async function adminExportPhone(deps: Deps, phone: Phone): Promise<Outcome> {
  return { created: false, body: await exportPhone(deps, phone) };
}
