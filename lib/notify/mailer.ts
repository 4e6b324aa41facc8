import nodemailer from 'nodemailer';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { MailBody } from './alert-notices.js';

export type KeptMail = MailBody & { id: string; from: string; at: Date };

export type Mailer = {
  readonly name: 'smtp' | 'dev-inbox' | 'none';
  send(mail: MailBody): Promise<{ ok: true; messageId: string } | { ok: false; error: string }>;
  /** This process's mail without an SMTP server outside production (newest first); /dev/mail reads the database. */
  inbox(): KeptMail[];
  close(): void;
};

/**
 * SMTP_URL → nodemailer's SMTP transport (smtp:// upgrades with STARTTLS when the server offers it,
 * smtps:// is TLS from the first byte). Without it, development and test keep mail for /dev/mail
 * (`persist`: in the database); production without it fails each delivery, so the outbox keeps the alert and retries.
 */
export function createMailer(
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'env' | 'notifyTimeoutMs'>, log: Logger, now: () => Date, persist?: (mail: KeptMail) => Promise<void>,
): Mailer {
  const kept: KeptMail[] = [];
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport({
      url: config.smtpUrl,
      connectionTimeout: config.notifyTimeoutMs, greetingTimeout: config.notifyTimeoutMs, socketTimeout: config.notifyTimeoutMs,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    return {
      name: 'smtp',
      async send(mail) {
        try {
          const info = await transport.sendMail({ from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
          return { ok: true, messageId: String(info.messageId) };
        } catch (err) {
          return { ok: false, error: (err as Error).message.slice(0, 300) };
        }
      },
      inbox: () => [],
      close: () => transport.close(),
    };
  }
  if (config.env === 'production') {
    log.warn('SMTP_URL is not set: e-mail alerts cannot be sent (they wait in the outbox)');
    return { name: 'none', send: async () => ({ ok: false, error: 'SMTP_URL is not set' }), inbox: () => [], close: () => {} };
  }
  return {
    name: 'dev-inbox',
    async send(mail) {
      const id = `dev-${randomUUID()}`;
      const one = { ...mail, id, from: config.mailFrom, at: now() };
      kept.unshift(one);
      kept.length = Math.min(kept.length, 200);
      // kept in the database too, so /dev/mail shows mail of every process (a CLI action's included)
      await persist?.(one).catch((err) => log.warn({ error: (err as Error).message }, 'mail not kept in the dev inbox'));
      return { ok: true, messageId: id };
    },
    inbox: () => [...kept],
    close: () => {},
  };
}
