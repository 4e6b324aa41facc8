import smpp, { type PDU, type Session } from 'smpp';
import type { Logger } from '../log.js';
import type { DeliveryReceipt, OutgoingSms, SendResult, SmsGateway } from './gateway.js';
import { SmsSendError } from './gateway.js';
import { encodeForSmpp, ESM_CLASS_UDHI } from './smpp-encoding.js';
import { parseReceipt } from './smpp-receipt.js';

export type SmppOptions = {
  /** smpp://system_id:password@host:port[?source_addr=NAME] */
  url: string;
  enquireLinkMs?: number;
  timeoutMs?: number;
  log: Logger;
};

type Target = { host: string; port: number; systemId: string; password: string; source: string | null };

export function parseSmppUrl(url: string): Target {
  const u = new URL(url);
  if (u.protocol !== 'smpp:') throw new Error('SMPP_URL must start with smpp://');
  return {
    host: u.hostname,
    port: Number(u.port || 2775),
    systemId: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    source: u.searchParams.get('source_addr'),
  };
}

const RETRYABLE_STATUS = new Set([smpp.ESME_RTHROTTLED, smpp.ESME_RMSGQFUL, smpp.ESME_RSYSERR]);
const BACKOFF_MS = [250, 500, 1000, 2000, 5000];

/**
 * SMPP 3.4 client: one transceiver bind, kept alive with enquire_link and rebound after a drop
 * (with backoff, also while idle, so receipts keep coming). submit_sm asks for a delivery
 * receipt; deliver_sm receipts are answered and reported to the listener.
 */
export class SmppGateway implements SmsGateway {
  readonly name = 'smpp';
  private readonly target: Target;
  private session?: Session;
  private bound?: Promise<Session>;
  private listeners: ((r: DeliveryReceipt) => void)[] = [];
  private closed = false;
  private failures = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private reference = 0;

  constructor(private readonly opts: SmppOptions) {
    this.target = parseSmppUrl(opts.url);
  }

  onReceipt(listener: (r: DeliveryReceipt) => void): void {
    this.listeners.push(listener);
  }

  async send(sms: OutgoingSms): Promise<SendResult> {
    const session = await this.ready();
    this.reference = (this.reference + 1) & 0xff;
    const { dataCoding, parts } = encodeForSmpp(sms.text, this.reference);
    const ids: string[] = [];
    for (const part of parts) {
      const resp = await this.request(session, (cb) =>
        session.submit_sm(
          {
            source_addr: this.target.source ?? '',
            source_addr_ton: this.target.source ? 5 : 0, // alphanumeric sender
            destination_addr: sms.to.replace(/^\+/, ''),
            dest_addr_ton: 1, // international
            dest_addr_npi: 1, // E.164
            registered_delivery: 1, // a receipt on final outcome
            data_coding: dataCoding,
            esm_class: parts.length > 1 ? ESM_CLASS_UDHI : 0,
            short_message: part,
          },
          cb,
        ),
      );
      if (resp.command_status !== smpp.ESME_ROK) {
        throw new SmsSendError(`SMSC refused the message (status 0x${resp.command_status.toString(16)})`, RETRYABLE_STATUS.has(resp.command_status));
      }
      ids.push(String(resp.message_id));
    }
    return { gateway: this.name, gatewayMessageId: ids[0] ?? null };
  }

  async connect(): Promise<void> {
    await this.ready();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const session = this.session;
    this.session = undefined;
    this.bound = undefined;
    if (!session) return;
    await new Promise<void>((resolve) => {
      const done = setTimeout(() => session.destroy(() => resolve()), 1000);
      const unbinding = session.unbind({}, () => {
        clearTimeout(done);
        session.close(() => resolve());
      });
      if (!unbinding) {
        clearTimeout(done);
        session.destroy(() => resolve());
      }
    });
  }

  private ready(): Promise<Session> {
    if (this.closed) return Promise.reject(new SmsSendError('the SMPP gateway is closed', false));
    this.bound ??= this.bind().catch((err) => {
      this.bound = undefined;
      this.scheduleReconnect();
      throw err;
    });
    return this.bound;
  }

  private bind(): Promise<Session> {
    return new Promise((resolve, reject) => {
      const session = smpp.connect({ host: this.target.host, port: this.target.port, auto_enquire_link_period: this.opts.enquireLinkMs ?? 30_000 });
      const fail = (err: Error) => {
        session.destroy();
        reject(new SmsSendError(`SMSC ${this.target.host}:${this.target.port} unreachable: ${err.message}`, true));
      };
      const timer = setTimeout(() => fail(new Error('no bind answer in time')), this.opts.timeoutMs ?? 10_000);
      session.once('error', (err: Error) => {
        clearTimeout(timer);
        fail(err);
      });
      session.on('connect', () => {
        session.bind_transceiver({ system_id: this.target.systemId, password: this.target.password, interface_version: 0x34 }, (pdu) => {
          clearTimeout(timer);
          if (pdu.command_status !== smpp.ESME_ROK) {
            return fail(new Error(`bind refused (status 0x${pdu.command_status.toString(16)})`));
          }
          this.watch(session);
          this.failures = 0;
          this.session = session;
          resolve(session);
        });
      });
    });
  }

  private watch(session: Session): void {
    session.on('error', (err: Error) => this.opts.log.warn({ error: err.message }, 'SMPP session error'));
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('deliver_sm', (pdu: PDU) => {
      session.send(pdu.response());
      const receipt = parseReceipt(pdu);
      if (!receipt?.final) return;
      for (const listener of this.listeners) {
        listener({ gateway: this.name, gatewayMessageId: receipt.messageId, delivered: receipt.delivered, error: receipt.delivered ? null : receipt.state });
      }
    });
    session.on('close', () => {
      if (this.session !== session) return;
      this.session = undefined;
      this.bound = undefined;
      this.opts.log.warn({ host: this.target.host }, 'SMPP connection dropped; rebinding');
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const wait = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!;
    this.failures += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.ready().catch(() => {});
    }, wait);
    this.reconnectTimer.unref();
  }

  private request(session: Session, call: (cb: (pdu: PDU) => void) => boolean): Promise<PDU> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new SmsSendError('the SMSC did not answer submit_sm in time', true)), this.opts.timeoutMs ?? 10_000);
      const sent = call((pdu) => {
        clearTimeout(timer);
        resolve(pdu);
      });
      if (!sent) {
        clearTimeout(timer);
        reject(new SmsSendError('the SMPP connection is not writable', true));
      }
    });
  }
}
