import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { SmsRecorder } from '../sms/dispatch.js';
import type { LogGateway } from '../sms/log-gateway.js';
import { createMessenger, type Messenger } from './dispatch.js';
import { WhatsappChannel } from './whatsapp.js';

/** MESSENGER=whatsapp: the Cloud API channel with the WHATSAPP_* settings (loadConfig checked they are all there). */
export function buildMessenger(config: Config, log: Logger, record: Pick<SmsRecorder, 'sent' | 'failed'>, devInbox: LogGateway): Messenger {
  const live = config.messenger === 'whatsapp'
    ? new WhatsappChannel({ apiUrl: config.whatsappApiUrl, token: config.whatsappToken!, phoneNumberId: config.whatsappPhoneNumberId!, timeoutMs: config.notifyTimeoutMs })
    : null;
  return createMessenger({ log }, record, live, devInbox);
}
