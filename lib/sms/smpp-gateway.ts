import smpp, { type PDU, type Session } from 'smpp';
import type { Logger } from '../log.js';
import type { OutgoingSms, ReceiptListener, SendResult, SmsGateway } from './gateway.js';
import { SmsSendError } from './gateway.js';
import { encodeForSmpp, ESM_CLASS_UDHI } from './smpp-encoding.js';
import { parseReceipt } from './smpp-receipt.js';

export type SmppOptions = {
  /** smpp://system_id:password@host:port[?source_addr=NAME] */
  url: string;
  /** How often the link is checked with enquire_link; a check not answered within timeoutMs drops it and rebinds. */
  enquireLinkMs?: number;
  /** One deadline for a whole send (waiting for the bind, every part), and for a bind and an enquire_link answer. */
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
 * SMPP 3.4 client: one transceiver bind, checked with enquire_link and rebound after a drop or a
 * missed answer (with backoff, also while idle, so receipts keep coming). submit_sm asks for a
 * delivery receipt; deliver_sm receipts are answered and reported to the listener with the
 * recipient (source_addr) they name.
 */
export class SmppGateway implements SmsGateway {
  readonly name = 'smpp';
  readonly worstSendMs: number;
  private readonly target: Target;
  private session?: Session;
  private bound?: Promise<Session>;
  private listeners: ReceiptListener[] = [];
  /** Reading paused until the receipt queue has room again (back-pressure on the SMSC). */
  private readonly held = new WeakSet<Session>();
  private closed = false;
  private failures = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private reference = 0;

  constructor(private readonly opts: SmppOptions) {
    this.target = parseSmppUrl(opts.url);
    this.worstSendMs = this.timeoutMs;
  }

  private get timeoutMs(): number {
    return this.opts.timeoutMs ?? 10_000;
  }

  onReceipt(listener: ReceiptListener): void {
    this.listeners.push(listener);
  }

  async send(sms: OutgoingSms): Promise<SendResult> {
    const deadline = Date.now() + this.timeoutMs;
    const session = await beforeDeadline(this.ready(), deadline, () => new SmsSendError('no SMPP bind in time', true));
    this.reference = (this.reference + 1) & 0xff;
    const { dataCoding, parts } = encodeForSmpp(sms.text, this.reference);
    const ids: string[] = [];
    for (const part of parts) {
      const resp = await this.request(session, deadline, ids.length > 0, (cb) =>
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
        const partly = ids.length > 0; // earlier parts went out: the buyer may see part of it, so it is not sent again
        throw new SmsSendError(`SMSC refused the message (status 0x${resp.command_status.toString(16)})`, !partly && RETRYABLE_STATUS.has(resp.command_status), partly);
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
      const session = smpp.connect({ host: this.target.host, port: this.target.port });
      const fail = (err: Error) => {
        session.destroy();
        reject(new SmsSendError(`SMSC ${this.target.host}:${this.target.port} unreachable: ${err.message}`, true));
      };
      const timer = setTimeout(() => fail(new Error('no bind answer in time')), this.timeoutMs);
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
      // a receipt comes from the recipient: source_addr is the phone the message went to (digits, as stored)
      const phone = String(pdu.source_addr ?? '').replace(/\D/g, '');
      for (const listener of this.listeners) {
        const slowDown = listener({ gateway: this.name, gatewayMessageId: receipt.messageId, phone, delivered: receipt.delivered, error: receipt.delivered ? null : receipt.state });
        if (slowDown instanceof Promise && !this.held.has(session)) this.hold(session, slowDown);
      }
    });
    this.keepChecking(session);
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
      // the password stays out: host and port say which SMSC, the error says why
      this.ready().catch((err) => this.opts.log.warn({ host: this.target.host, port: this.target.port, error: (err as Error).message, attempt: this.failures }, 'SMPP bind failed; retrying'));
    }, wait);
    this.reconnectTimer.unref();
  }

  /** Stops reading until the receipts already queued are written: the SMSC's window fills and it waits. */
  private hold(session: Session, until: Promise<void>): void {
    this.held.add(session);
    session.pause();
    void until.then(() => {
      this.held.delete(session);
      session.resume();
    });
  }

  /** enquire_link every enquireLinkMs; a check not answered in time means a dead (half-open) link: drop it and rebind. */
  private keepChecking(session: Session): void {
    const every = this.opts.enquireLinkMs ?? 30_000;
    const timer = setInterval(() => {
      let answered = false;
      const sent = session.enquire_link({}, () => (answered = true));
      if (!sent) return this.drop(session, 'the SMPP connection is not writable');
      // while reading is held for receipts the answer waits unread: that is not a dead link
      setTimeout(() => answered || this.held.has(session) || this.drop(session, 'no enquire_link answer in time'), Math.min(this.timeoutMs, every)).unref();
    }, every);
    timer.unref();
    session.once('close', () => clearInterval(timer));
  }

  /** Gives up on a link that stopped answering; its close rebinds. */
  private drop(session: Session, reason: string): void {
    if (this.session !== session) return;
    this.opts.log.warn({ host: this.target.host, port: this.target.port, reason }, 'SMPP link not answering; dropping it to rebind');
    session.destroy();
  }

  /** One request within the send's deadline; a request that went out with no answer in time may have been taken. */
  private request(session: Session, deadline: number, partlySent: boolean, call: (cb: (pdu: PDU) => void) => boolean): Promise<PDU> {
    return new Promise((resolve, reject) => {
      const left = deadline - Date.now();
      if (left <= 0) return reject(new SmsSendError('no time left to send the next part', false, partlySent));
      const timer = setTimeout(() => {
        reject(new SmsSendError('the SMSC did not answer submit_sm in time (the message may have been sent)', false, true));
        this.drop(session, 'no submit_sm answer in time');
      }, left);
      const sent = call((pdu) => {
        clearTimeout(timer);
        resolve(pdu);
      });
      if (!sent) {
        clearTimeout(timer);
        reject(new SmsSendError('the SMPP connection is not writable', !partlySent, partlySent));
      }
    });
  }
}

/** The bind being awaited by a send counts against that send's deadline. */
function beforeDeadline<T>(work: Promise<T>, deadline: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(late()), Math.max(0, deadline - Date.now()))));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
