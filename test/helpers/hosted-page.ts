import type supertest from 'supertest';
import type { TestApp } from './test-app.js';

/** Drives the hosted pages the way a browser without JavaScript does (cookies kept by the agent). */
export class HostedPage {
  constructor(
    private readonly t: TestApp,
    readonly paymentId: string,
    private readonly agent: supertest.Agent = t.http,
  ) {}

  static async fromForm(t: TestApp, fields: Record<string, string>, agent: supertest.Agent = t.http): Promise<HostedPage> {
    const res = await agent.post('/lmi/payment').type('form').send(new URLSearchParams(fields).toString());
    if (res.status !== 303) throw new Error(`form refused: ${res.status} ${res.text.slice(0, 500)}`);
    const id = /^\/pay\/(pay_[0-9a-z]{24})$/.exec(res.headers.location ?? '')?.[1];
    if (!id) throw new Error(`unexpected redirect ${res.headers.location}`);
    return new HostedPage(t, id, agent);
  }

  view() {
    return this.agent.get(`/pay/${this.paymentId}`);
  }

  async csrf(): Promise<string> {
    const page = await this.view();
    const token = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no form on the page (status ${page.status})`);
    return token;
  }

  async submit(action: 'phone' | 'code' | 'resend' | 'cancel', fields: Record<string, string> = {}) {
    const csrf = await this.csrf();
    return this.agent.post(`/pay/${this.paymentId}/${action}`).type('form').send(new URLSearchParams({ csrf, ...fields }).toString());
  }

  /** Follows our own 303s back to the page (the final one leaves for the merchant). */
  async follow(res: supertest.Response) {
    return res.status === 303 && res.headers.location === `/pay/${this.paymentId}` ? this.view() : res;
  }
}

export function fieldsOf(location: string): [string, string][] {
  return [...new URL(location).searchParams];
}
