import supertest from 'supertest';
import type { TestApp } from './test-app.js';
import { rememberSecret } from './log-capture.js';

/**
 * The confirmation link's path in a mail or SMS text (docs/merchant-guide.md#alerts). A token read from an SMS is registered
 * for the log-leak check; one from a mail cannot be, since the SMTP sink adds every mail to the lines searched.
 */
export function confirmationPath(text: string, opts: { fromSms?: boolean } = {}): string {
  const m = /\/alerts\/confirm\/([A-Za-z0-9_-]{43})/.exec(text);
  if (!m) throw new Error(`no confirmation link in: ${text.slice(0, 200)}`);
  if (opts.fromSms) rememberSecret(m[1]);
  return m[0];
}

/** The last SMS text to this phone (E.164 with +) in the dev inbox. */
export function lastSmsTo(t: TestApp, phone: string): string {
  const sms = t.app.sms.devInbox.inbox(phone)[0];
  if (!sms) throw new Error(`no SMS to ${phone}`);
  return sms.text;
}

/** As the recipient does it: open the link in a browser (a cookie jar of its own), then press the button. */
export async function clickConfirmation(t: TestApp, path: string): Promise<supertest.Response> {
  const browser = supertest.agent(t.app.koa.callback());
  const page = await browser.get(path).expect(200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!csrf) throw new Error(`no confirmation form on: ${page.text.slice(0, 300)}`);
  return browser.post(path).type('form').send({ csrf }).expect(200);
}

/** Confirms the last link sent to each of these phones (dev inbox) and mail texts. */
export async function confirmRecipients(t: TestApp, opts: { phones?: string[]; mailTexts?: string[] }): Promise<void> {
  for (const phone of opts.phones ?? []) await clickConfirmation(t, confirmationPath(lastSmsTo(t, phone), { fromSms: true }));
  for (const text of opts.mailTexts ?? []) await clickConfirmation(t, confirmationPath(text));
}
