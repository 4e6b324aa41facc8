import supertest from 'supertest';
import type { TestApp } from './test-app.js';
import { totpCode } from '../../lib/domain/totp.js';
import { rememberSecret } from './log-capture.js';
import { csrfOf, PASSWORD } from './office.js';

export type ConsoleRoleName = 'admin' | 'finance' | 'support' | 'cashier';

/** `cookie` is the session cookie as a browser would send it (for raw HTTP clients such as an event stream). */
export type ConsoleUser = { id: string; email: string; role: ConsoleRoleName; agent: supertest.Agent; csrf: string; totpSecret?: string; setupPath: string; cookie: string };

/**
 * An operator user made through the admin API (as `operators:create` does), set up through its one-time link and signed in;
 * admin and finance enrol an authenticator at set-up (they must), others only with `totp`.
 */
export async function consoleUser(t: TestApp, role: ConsoleRoleName, opts: { totp?: boolean; email?: string } = {}): Promise<ConsoleUser> {
  const email = opts.email ?? `${role}-${Math.random().toString(36).slice(2, 10)}@ops.example`;
  const created = await t.admin('post', '/admin/v1/operators').send({ email, role }).expect(201);
  rememberSecret(created.body.setup_url.split('/').pop());
  const agent = supertest.agent(t.app.koa.callback());
  const path = new URL(created.body.setup_url).pathname;
  const page = await agent.get(path).expect(200);
  const secret = /name="totp_secret" value="([A-Z2-7]+)"/.exec(page.text)![1]!;
  const withTotp = opts.totp ?? (role === 'admin' || role === 'finance');
  const form: Record<string, string> = { _csrf: csrfOf(page.text), password: PASSWORD, password_again: PASSWORD, totp_secret: secret, totp: '' };
  if (withTotp) form.totp = await totpCode(secret, t.clock.now());
  const done = await agent.post(path).type('form').send(form).expect(303).expect('Location', '/console');
  const cookie = ([] as string[]).concat(done.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).find((c) => c.startsWith('tp_console='))!;
  // a cashier's /console is the wallet desk; the enrolment page carries the CSRF token for every role
  const home = await agent.get(role === 'cashier' ? '/console/totp/enrol' : '/console').expect(200);
  return { id: created.body.id, email, role, agent, csrf: csrfOf(home.text), totpSecret: withTotp ? secret : undefined, setupPath: path, cookie };
}
