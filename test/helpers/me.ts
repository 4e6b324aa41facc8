import supertest from 'supertest';
import type { TestApp } from './test-app.js';
import { lastCode } from './merchant.js';
import { csrfOf } from './office.js';
import { e164 } from '../../lib/domain/phone.js';

/** A buyer signed in at /me by phone and SMS code (docs/buyer-guide.md#me--the-buyers-wallet-page), from one client address. */
export type MeBuyer = { agent: supertest.Agent; phone: string; address: string; csrf: string; page: () => Promise<string> };

/** Posts the phone step of /me/login from `address` (X-Forwarded-For, with TRUST_PROXY); the answer (200) is the code step. */
export async function askSignInCode(t: TestApp, agent: supertest.Agent, phone: string, address: string, extra: Record<string, string> = {}) {
  const login = await agent.get('/me/login').set('X-Forwarded-For', address).expect(200);
  return agent.post('/me/login').set('X-Forwarded-For', address).type('form').send({ _csrf: csrfOf(login.text), phone: e164(phone), ...extra });
}

/** Posts a code for the phone from `address`. */
export async function postSignInCode(agent: supertest.Agent, phone: string, code: string, address: string) {
  const login = await agent.get('/me/login').set('X-Forwarded-For', address).expect(200);
  return agent.post('/me/login/code').set('X-Forwarded-For', address).type('form').send({ _csrf: csrfOf(login.text), phone: e164(phone), code });
}

export async function signInAtMe(t: TestApp, phone: string, address = '198.51.100.7'): Promise<MeBuyer> {
  const agent = supertest.agent(t.app.koa.callback());
  const asked = await askSignInCode(t, agent, phone, address);
  if (asked.status !== 200) throw new Error(`no sign-in code: ${asked.status}`);
  const done = await postSignInCode(agent, phone, lastCode(t, phone), address);
  if (done.status !== 303 || done.headers.location !== '/me') throw new Error(`not signed in: ${done.status}`);
  const page = async () => (await agent.get('/me').set('X-Forwarded-For', address).expect(200)).text;
  return { agent, phone, address, csrf: csrfOf(await page()), page };
}
