import type { Deps } from '../shared/deps.js';
import { blankOldMessageTexts, deleteOldAlertLog, maskOldPaymentlessMessages, redactEndedPayments } from '../../store/retention.js';
import { messageTextCutoff, retentionCutoff, RETENTION_BATCH } from '../../domain/personal-data.js';

/**
 * The daily retention job (docs/operator-guide.md#personal-data-what-is-kept-for-how-long-and-why): payments
 * that ended more than RETENTION_DAYS ago keep amounts, ids and ledger, lose phone, description and merchant
 * fields; messages of no payment lose their phone then too, and the shops' alert log its entries; message texts go after 30 days. Batches of short transactions that claim rows with SKIP LOCKED,
 * so several instances share the work, confirms are never held up, and a row is done once. Stops after
 * `maxMs`; the next run goes on where it stopped.
 */
export async function applyRetention(deps: Pick<Deps, 'db' | 'clock' | 'config'>, opts: { batch?: number; maxMs?: number } = {}) {
  const batch = opts.batch ?? RETENTION_BATCH;
  // the run's budget is machine time (how long it holds the job), not the business clock
  const started = Date.now();
  const within = () => Date.now() - started < (opts.maxMs ?? 20 * 60_000);
  const now = deps.clock.now();
  const cutoff = retentionCutoff(now, deps.config.retentionDays);
  let payments = 0;
  for (let n = batch; n === batch && within(); payments += n) n = await redactEndedPayments(deps.db, cutoff, now, batch);
  // messages of no payment (alerts, sign-in codes) are kept as long as payments are
  let messages = 0;
  for (let n = batch; n === batch && within(); messages += n) n = await maskOldPaymentlessMessages(deps.db, cutoff, batch);
  let alerts = 0;
  for (let n = batch; n === batch && within(); alerts += n) n = await deleteOldAlertLog(deps.db, cutoff, batch);
  let texts = 0;
  for (let n = batch; n === batch && within(); texts += n) n = await blankOldMessageTexts(deps.db, messageTextCutoff(now), batch);
  return { payments, messages, alerts, texts };
}
