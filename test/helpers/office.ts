import supertest from 'supertest';
import type { TestApp } from './test-app.js';
import type { TestMerchant } from './merchant.js';
import { totpCode } from '../../lib/domain/totp.js';
import { rememberSecret } from './log-capture.js';

export const PASSWORD = 'correct horse battery staple';

/** The hidden CSRF field of the first form on a page. */
export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}

/** `cookie` is the session cookie as a browser would send it (for raw HTTP clients such as an event stream). */
export type OfficeUser = { email: string; agent: supertest.Agent; csrf: string; totpSecret?: string; setupPath: string; cookie: string };

/** A user the operator creates, set up through the one-time link (optionally with an authenticator), signed in. */
export async function officeUser(t: TestApp, merchant: TestMerchant, role: 'owner' | 'staff' | 'viewer', opts: { totp?: boolean; email?: string } = {}): Promise<OfficeUser> {
  const email = opts.email ?? `${role}-${Math.random().toString(36).slice(2, 10)}@shop.example`;
  const created = await t.admin('post', `/admin/v1/merchants/${merchant.id}/users`).send({ email, role }).expect(201);
  rememberSecret(created.body.setup_url.split('/').pop());
  const agent = supertest.agent(t.app.koa.callback());
  const path = new URL(created.body.setup_url).pathname;
  const page = await agent.get(path).expect(200);
  const secret = /name="totp_secret" value="([A-Z2-7]+)"/.exec(page.text)![1]!;
  const form: Record<string, string> = { _csrf: csrfOf(page.text), password: PASSWORD, password_again: PASSWORD, totp_secret: secret, totp: '' };
  if (opts.totp) form.totp = await totpCode(secret, t.clock.now());
  const done = await agent.post(path).type('form').send(form).expect(303).expect('Location', '/office');
  const cookie = ([] as string[]).concat(done.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).find((c) => c.startsWith('tp_office='))!;
  const journal = await agent.get('/office').expect(200);
  return { email, agent, csrf: csrfOf(journal.text), totpSecret: opts.totp ? secret : undefined, setupPath: path, cookie };
}

/** The one-time token (`_once`) of the form posting to `action` on a page (docs/merchant-guide.md#back-office "Acting once"). */
export function onceOf(html: string, action: string): string {
  const form = new RegExp(`<form[^>]*action="${action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^]*?</form>`).exec(html)?.[0];
  const token = form && /name="_once" value="([^"]+)"/.exec(form)?.[1];
  if (!token) throw new Error(`no one-time token in the form of ${action}`);
  return token;
}
