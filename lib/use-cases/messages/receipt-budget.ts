import type { Deps } from '../shared/deps.js';
import { consume } from '../limits/rate-limit.js';
import { isAppError } from '../../domain/errors.js';
import { testPhoneBehaviour } from '../../domain/test-phones.js';
import type { Mode } from '../../domain/ledger.js';

/**
 * The outbox's question before a receipt SMS goes out (docs/buyer-guide.md#receipts): one SMS of the whole service's budget,
 * never the per-phone code caps. Null: send it; else the refusal, and the receipt waits for its next try.
 */
export async function spendBudget(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'observer'>, phone: string, mode: Mode): Promise<string | null> {
  if (testPhoneBehaviour(phone, mode)) return null; // the shared test phones send nothing out
  try {
    await consume(deps, 'sms_budget', 'all');
    return null;
  } catch (err) {
    if (isAppError(err) && err.code === 'rate_limited') return 'rate_limited: sms_budget (sent at the next try)';
    throw err;
  }
}
