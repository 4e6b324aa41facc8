import type { Knex } from '../store/db.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Mode } from '../domain/ledger.js';
import { markSmsFailed, markSmsReceipt, markSmsSent } from '../store/sms-messages.js';
import type { SmsGateway } from './gateway.js';
import type { LogGateway } from './log-gateway.js';

export type SmsDispatch = { ok: true; gateway: string } | { ok: false; error: string };

export type SmsDispatcher = {
  /** Sends a recorded message (sms_messages row) and records the outcome; never throws for gateway failures. */
  send(sms: { id: string; phone: string; text: string; mode: Mode }): Promise<SmsDispatch>;
  /** The in-memory inbox of the log gateway (development, and every test-mode message). */
  devInbox: LogGateway;
  /** Connects the live gateways ahead of the first message (failures are retried by the gateway). */
  connect(): Promise<void>;
  close(): Promise<void>;
};

/** Live messages go through the configured gateways; test-mode messages never leave the dev inbox. */
export function createSmsDispatcher(deps: { db: Knex; clock: Clock; log: Logger }, live: SmsGateway, devInbox: LogGateway): SmsDispatcher {
  live.onReceipt?.((receipt) => {
    markSmsReceipt(deps.db, receipt.gateway, receipt.gatewayMessageId, receipt.delivered, receipt.error, deps.clock.now()).catch((err) =>
      deps.log.error({ err }, 'could not record an SMS delivery receipt'),
    );
  });
  return {
    devInbox,
    async send(sms) {
      const gateway = sms.mode === 'test' ? devInbox : live;
      try {
        const result = await gateway.send({ to: `+${sms.phone}`, text: sms.text, reference: sms.id });
        await markSmsSent(deps.db, sms.id, result.gateway, result.gatewayMessageId, deps.clock.now());
        return { ok: true, gateway: result.gateway };
      } catch (err) {
        const error = (err as Error).message;
        deps.log.warn({ sms: sms.id, error }, 'sms could not be sent');
        await markSmsFailed(deps.db, sms.id, error, deps.clock.now());
        return { ok: false, error };
      }
    },
    async connect() {
      await live.connect?.().catch((err) => deps.log.warn({ error: (err as Error).message }, 'SMS gateway not reachable yet'));
    },
    async close() {
      await live.close?.();
    },
  };
}
