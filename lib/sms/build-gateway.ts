import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { SmsGateway } from './gateway.js';
import { HttpGateway, httpWorstSendMs, type HttpGatewayOptions } from './http-gateway.js';
import { FailoverGateway } from './failover.js';
import { SmppGateway } from './smpp-gateway.js';
import type { LogGateway } from './log-gateway.js';

type GatewayConfig = Pick<Config, 'smsGateway' | 'smsHttpUrl' | 'smsHttpToken' | 'smsHttpTimeoutMs' | 'smsHttpIdempotent' | 'smppTimeoutMs'>;

/** The http gateway's settings: SMS_HTTP_TIMEOUT_MS a try, two retries with backoff 200 and 400 ms. */
function httpOptions(config: GatewayConfig): HttpGatewayOptions {
  return { url: config.smsHttpUrl ?? '', token: config.smsHttpToken, timeoutMs: config.smsHttpTimeoutMs, retries: 2, backoffMs: 200, idempotent: config.smsHttpIdempotent };
}

/** The longest one SMS send can take with SMS_GATEWAY's gateways tried in turn: the outbox lease is derived from it. */
export function smsWorstSendMs(config: GatewayConfig): number {
  const worst = { log: 0, http: httpWorstSendMs(httpOptions(config)), smpp: config.smppTimeoutMs };
  return (config.smsGateway ?? ['log']).reduce((sum, name) => sum + worst[name], 0);
}

/** SMS_GATEWAY=a,b,c: the named gateways, tried in that order. */
export function buildLiveGateway(config: Config, log: Logger, devInbox: LogGateway): SmsGateway {
  const names = config.smsGateway ?? ['log'];
  const gateways = names.map((name): SmsGateway => {
    switch (name) {
      case 'log':
        return devInbox;
      case 'http':
        if (!config.smsHttpUrl) throw new Error('SMS_GATEWAY includes http but SMS_HTTP_URL is not set');
        return new HttpGateway(httpOptions(config));
      case 'smpp':
        return new SmppGateway({ url: config.smppUrl!, log, timeoutMs: config.smppTimeoutMs });
    }
  });
  return gateways.length === 1 ? gateways[0]! : new FailoverGateway(gateways, log);
}
