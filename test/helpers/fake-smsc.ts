import smpp, { type PDU, type Server, type Session } from 'smpp';
import type { AddressInfo } from 'node:net';

export type Submitted = { to: string; dataCoding: number; esmClass: number; text: string; udh: Buffer | null; messageId: string };

/**
 * A real SMPP 3.4 server on loopback (the `smpp` package's server) standing in for an operator's
 * SMSC: checks the bind, answers submit_sm with an id, and sends a delivery receipt for each part.
 */
export class FakeSmsc {
  readonly submitted: Submitted[] = [];
  binds = 0;
  private server?: Server;
  private sessions: Session[] = [];
  private next = 0;
  port = 0;
  receiptState = 'DELIVRD';
  /** false: no receipt follows a submit_sm (the test sends receipts itself with receipt()). */
  autoReceipts = true;
  /** true: the connection stays open but nothing is answered (a half-open SMSC). */
  silent = false;
  /** Connections that ended (closed by either side). */
  closes = 0;

  constructor(private readonly systemId = 'telepurse', private readonly password = 'secret') {}

  async start(port = 0): Promise<this> {
    this.server = smpp.createServer((session) => this.serve(session));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(): string {
    return `smpp://${this.systemId}:${this.password}@127.0.0.1:${this.port}?source_addr=Telepurse`;
  }

  /** Drops every connection and stops listening, as a crashing SMSC would. */
  async stop(): Promise<void> {
    for (const s of this.sessions.splice(0)) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The SMSC's message counter starts again (as after its restart): ids repeat. */
  resetIds(): void {
    this.next = 0;
  }

  /** A delivery receipt for `messageId`, from the recipient `to` (source_addr), on every open session. */
  receipt(messageId: string, to: string, state = this.receiptState): void {
    for (const s of this.sessions) s.deliver_sm(receiptPdu(messageId, to.replace(/^\+/, ''), state));
  }

  /** `count` receipts as fast as the socket takes them; `make(i)` names each (a flood). */
  flood(count: number, make: (i: number) => { messageId: string; to: string; state?: string }): void {
    const session = this.sessions.at(-1)!;
    for (let i = 0; i < count; i++) {
      const r = make(i);
      session.deliver_sm(receiptPdu(r.messageId, r.to.replace(/^\+/, ''), r.state ?? 'DELIVRD'));
    }
  }

  /** The whole texts as a handset would show them (concatenated parts joined). */
  texts(): string[] {
    const out: string[] = [];
    const pending = new Map<string, string[]>();
    for (const s of this.submitted) {
      if (!s.udh) {
        out.push(s.text);
        continue;
      }
      const [, , ref, total, seq] = s.udh; // the concatenation IE: iei, length, reference, total, sequence
      const key = `${s.to}:${ref}`;
      const parts = pending.get(key) ?? [];
      parts[seq! - 1] = s.text;
      pending.set(key, parts);
      if (parts.filter((p) => p !== undefined).length === total) {
        out.push(parts.join(''));
        pending.delete(key);
      }
    }
    return out;
  }

  private serve(session: Session): void {
    this.sessions.push(session);
    session.on('error', () => {});
    session.on('close', () => {
      this.closes += 1;
      this.sessions = this.sessions.filter((s) => s !== session);
    });
    session.on('bind_transceiver', (pdu: PDU) => {
      if (this.silent) return;
      const ok = pdu.system_id === this.systemId && pdu.password === this.password;
      session.send(pdu.response({ command_status: ok ? smpp.ESME_ROK : smpp.ESME_RBINDFAIL }));
      if (ok) this.binds += 1;
      else session.close();
    });
    session.on('enquire_link', (pdu: PDU) => {
      if (!this.silent) session.send(pdu.response());
    });
    session.on('unbind', (pdu: PDU) => {
      if (this.silent) return;
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: PDU) => {
      if (this.silent) return;
      const messageId = `smsc-${++this.next}`;
      const message = pdu.short_message as { message: string; udh?: Buffer[] };
      this.submitted.push({
        to: String(pdu.destination_addr),
        dataCoding: Number(pdu.data_coding),
        esmClass: Number(pdu.esm_class),
        text: message.message,
        udh: message.udh?.[0] ?? null,
        messageId,
      });
      session.send(pdu.response({ message_id: messageId }));
      if (!this.autoReceipts) return;
      setTimeout(() => session.deliver_sm(receiptPdu(messageId, String(pdu.destination_addr), this.receiptState)), 5);
    });
  }
}

/** A delivery receipt as SMSCs send it: from the recipient, with the id in a TLV and in the text of SMPP 3.4 appendix B. */
function receiptPdu(messageId: string, from: string, state: string): Record<string, unknown> {
  return {
    source_addr: from,
    esm_class: 0x04,
    short_message: `id:${messageId} sub:001 dlvr:001 submit date:2611231200 done date:2611231200 stat:${state} err:000 text:`,
    receipted_message_id: messageId,
  };
}
