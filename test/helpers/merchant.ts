import type { MerchantId } from '../../lib/domain/ids.js';
import type { TestApp } from './test-app.js';
import { rememberCode, rememberSecret } from './log-capture.js';
import { fundedWallet, uniquePhone } from './builders.js';
import { RecordingGateway } from './recording-gateway.js';
import type { Phone } from '../../lib/domain/phone.js';
import type { Currency } from '../../lib/domain/currency.js';

export type TestMerchant = { id: MerchantId; purse: string; apiKey: string; secretKey: string; webhookSecret: string; mode: 'live' | 'test' };

/** A merchant created through the admin API, as an operator would; its secrets are registered for the log-leak check. */
export async function createTestMerchant(t: TestApp, settings: Record<string, unknown> = {}): Promise<TestMerchant> {
  const res = await t.admin('post', '/admin/v1/merchants').send({ name: 'Test Shop', result_url: 'http://127.0.0.1:9/result', ...settings });
  if (res.status !== 201) throw new Error(`merchant not created: ${res.status} ${JSON.stringify(res.body)}`);
  rememberSecret(res.body.api_key);
  rememberSecret(res.body.secret_key);
  rememberSecret(res.body.webhook_secret);
  return { id: res.body.id, purse: res.body.purse, apiKey: res.body.api_key, secretKey: res.body.secret_key, webhookSecret: res.body.webhook_secret, mode: res.body.mode };
}

/** A buyer: a phone with a funded wallet. */
export async function createBuyer(t: TestApp, balance = '100.00', opts: { currency?: Currency; mode?: 'live' | 'test' } = {}): Promise<{ phone: Phone; purse: string; holderId: string }> {
  const phone = uniquePhone();
  const wallet = await fundedWallet({ db: t.database.db, clock: t.clock }, { balance, phone, currency: opts.currency, mode: opts.mode });
  return { phone, purse: wallet.purse, holderId: wallet.holderId };
}

/** The code of the last SMS sent to a phone, read from the recording gateway (the dev inbox). */
export function lastCode(t: TestApp, phone: string): string {
  // a receipt (docs/buyer-guide.md#receipts) may arrive after the code: only messages that carry a code count
  const isCode = (m: { text: string }) => /#\d+\s*$/.test(m.text);
  const recorded = t.liveGateway instanceof RecordingGateway ? t.liveGateway.to(phone).reverse().filter(isCode) : [];
  const latest = recorded[0] ?? t.app.sms.devInbox.inbox(`+${phone}`).filter(isCode)[0];
  const code = latest ? /#(\d+)\s*$/.exec(latest.text)?.[1] : undefined;
  if (!code) throw new Error(`no code was sent to ${phone}`);
  rememberCode(code);
  return code;
}

export function api(t: TestApp, merchant: TestMerchant) {
  const auth = (req: import('supertest').Test) => req.set('Authorization', `Bearer ${merchant.apiKey}`);
  return {
    // a pay link's token is its secret: registered for the log-leak check like keys and codes
    post: (path: string, body: object = {}, headers: Record<string, string> = {}) => auth(t.http.post(`/api/v1${path}`)).set(headers).send(body)
      .on('response', (res: { body?: { link_url?: unknown } }) => { if (typeof res.body?.link_url === 'string') rememberSecret(res.body.link_url.split('/').pop()); }),
    get: (path: string) => auth(t.http.get(`/api/v1${path}`)),
    patch: (path: string, body: object = {}) => auth(t.http.patch(`/api/v1${path}`)).send(body),
  };
}
