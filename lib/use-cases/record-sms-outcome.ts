import type { Deps } from './deps.js';
import { markSmsFailed, markSmsReceipt, markSmsSent } from '../store/sms-messages.js';

/** What the SMS gateways report back, written on the message's record. */
export function recordSmsSent(deps: Pick<Deps, 'db' | 'clock'>, smsId: string, gateway: string, gatewayMessageId: string | null): Promise<void> {
  return markSmsSent(deps.db, smsId, gateway, gatewayMessageId, deps.clock.now());
}

export function recordSmsFailed(deps: Pick<Deps, 'db' | 'clock'>, smsId: string, error: string): Promise<void> {
  return markSmsFailed(deps.db, smsId, error, deps.clock.now());
}

export function recordSmsReceipt(deps: Pick<Deps, 'db' | 'clock'>, r: { gateway: string; gatewayMessageId: string; delivered: boolean; error: string | null }): Promise<number> {
  return markSmsReceipt(deps.db, r.gateway, r.gatewayMessageId, r.delivered, r.error, deps.clock.now());
}
