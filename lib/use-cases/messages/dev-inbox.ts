import type { Deps } from '../shared/deps.js';
import { keepDevMessage, listDevMessages } from '../../store/dev-inbox.js';
import { DAY_MS } from '../../domain/time.js';
import type { InboxMessage } from '../../sms/log-gateway.js';
import type { KeptMail } from '../../notify/mailer.js';
import type { DevMessage } from '../../domain/dev-message.js';

/** The dev inboxes keep a week of messages, and at most the newest 1,000 of each kind. */
const KEEP = { newest: 1000, days: 7 };

type InboxDeps = Pick<Deps, 'db' | 'clock'>;

function keep(deps: InboxDeps, m: DevMessage): Promise<void> {
  return keepDevMessage(deps.db, m, { newest: KEEP.newest, since: new Date(deps.clock.now().getTime() - KEEP.days * DAY_MS) });
}

/** What the log gateway sent, kept in the database so every process's messages reach /dev/sms (development only: app.ts wires it). */
export function keepDevSms(deps: InboxDeps, sms: InboxMessage): Promise<void> {
  return keep(deps, { id: sms.id, kind: 'sms', channel: sms.channel ?? 'sms', recipient: sms.to, sender: null, subject: null, text: sms.text, html: null, reference: sms.reference, paymentId: sms.paymentId ?? null, at: sms.at });
}

/** What the mailer without SMTP sent, for /dev/mail. */
export function keepDevMail(deps: InboxDeps, mail: KeptMail): Promise<void> {
  return keep(deps, { id: mail.id, kind: 'mail', recipient: mail.to, sender: mail.from, subject: mail.subject, text: mail.text, html: mail.html ?? null, reference: null, paymentId: null, at: mail.at });
}

export async function readDevSms(deps: Pick<Deps, 'db'>, phone?: string): Promise<InboxMessage[]> {
  const rows = await listDevMessages(deps.db, 'sms', phone, 200);
  return rows.map((r) => ({ id: r.id, to: r.recipient, text: r.text, reference: r.reference ?? '', paymentId: r.paymentId, at: r.at, ...(r.channel === 'whatsapp' ? { channel: 'whatsapp' as const } : {}) }));
}

export async function readDevMail(deps: Pick<Deps, 'db'>): Promise<KeptMail[]> {
  const rows = await listDevMessages(deps.db, 'mail', undefined, 200);
  return rows.map((r) => ({ id: r.id, to: r.recipient, from: r.sender ?? '', subject: r.subject ?? '', text: r.text, html: r.html ?? '', at: r.at }));
}
