import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { SmsGateway } from './gateway.js';
import { HttpGateway } from './http-gateway.js';
import { FailoverGateway } from './failover.js';
import { SmppGateway } from './smpp-gateway.js';
import type { LogGateway } from './log-gateway.js';

/** SMS_GATEWAY=a,b,c: the named gateways, tried in that order. */
export function buildLiveGateway(config: Config, log: Logger, devInbox: LogGateway): SmsGateway {
  const names = config.smsGateway ?? ['log'];
  const gateways = names.map((name): SmsGateway => {
    switch (name) {
      case 'log':
        return devInbox;
      case 'http':
        if (!config.smsHttpUrl) throw new Error('SMS_GATEWAY includes http but SMS_HTTP_URL is not set');
        return new HttpGateway({ url: config.smsHttpUrl, token: config.smsHttpToken, timeoutMs: 5000, retries: 2, backoffMs: 200 });
      case 'smpp':
        return new SmppGateway({ url: config.smppUrl!, log });
    }
  });
  return gateways.length === 1 ? gateways[0]! : new FailoverGateway(gateways, log);
}
