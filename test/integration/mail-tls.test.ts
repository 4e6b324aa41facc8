import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { ServiceProcess } from '../helpers/service-process.js';
import { SmtpSink, type SinkTls } from '../helpers/smtp-sink.js';
import { ensureDebianPackage } from '../../tools/debian-package.js';
import { rememberCode, rememberSecret } from '../helpers/log-capture.js';
import { confirmationPath } from '../helpers/alert-links.js';

const ADMIN = 'mail-tls-test-admin-token';
const ALWAYS_PAYS = '+12025550101';

/** A certificate for 127.0.0.1, signed by itself: the mail server's, and the CA the service is told to trust. */
function makeCertificate(dir: string): { key: string; cert: string; certPath: string } {
  ensureDebianPackage('/usr/bin/openssl', 'openssl', 'the SMTP over TLS test (a certificate for its mail server)');
  const [keyPath, certPath] = [path.join(dir, 'smtp.key'), path.join(dir, 'smtp.crt')];
  execFileSync('/usr/bin/openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath,
  ], { stdio: 'ignore' });
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
}

/**
 * docs/merchant-guide.md#alerts mail alerts over TLS, with the real service in a child process (it reads its trusted CAs
 * at start, NODE_EXTRA_CA_CERTS, as an operator with a private CA would configure it): smtps:// is
 * TLS from the first byte, smtp:// upgrades with STARTTLS, and a certificate nobody vouched for is
 * refused rather than sent to.
 */
describe('mail alerts over TLS (smtps:// and STARTTLS)', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let dir: string;
  let certificate: ReturnType<typeof makeCertificate>;
  const running: { service: ServiceProcess; sink: SmtpSink }[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'telepurse-mail-tls-'));
    certificate = makeCertificate(dir);
    database = await createTestDatabase(4);
  });
  afterEach(async () => {
    for (const { service, sink } of running.splice(0)) {
      await service.stop();
      await sink.stop();
    }
  });
  after(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function serviceMailingTo(mode: SinkTls['mode'], trust: boolean) {
    const sink = await new SmtpSink({ mode, key: certificate.key, cert: certificate.cert }).start();
    const service = new ServiceProcess({
      DATABASE_URL: database.url, ADMIN_TOKEN: ADMIN, SMTP_URL: sink.url, NOTIFY_TIMEOUT_MS: '5000',
      ...(trust ? { NODE_EXTRA_CA_CERTS: certificate.certPath } : {}),
    });
    running.push({ service, sink });
    await service.start();
    return { service, sink };
  }

  /** docs/merchant-guide.md#alerts: the recipient opens the link of its confirmation mail and presses the button. */
  async function confirmByMail(service: ServiceProcess, mailText: string) {
    const link = `${service.url}${confirmationPath(mailText)}`;
    const page = await fetch(link);
    const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const done = await fetch(link, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf }).toString() });
    assert.equal(done.status, 200);
  }

  /** A test merchant whose shop mails each sale to `email` (confirmed by its link, when the mail server can be reached), and one sale paid by the always-paying test phone. */
  async function saleAlertedTo(service: ServiceProcess, email: string, sink?: SmtpSink) {
    const merchant = await service.json('POST', '/admin/v1/merchants', { name: 'TLS Shop', mode: 'test' }, ADMIN);
    assert.equal(merchant.status, 201, JSON.stringify(merchant.body));
    const { api_key: key, secret_key: secret, webhook_secret: webhook, shop_id: shop, purse } = merchant.body;
    [key, secret, webhook].forEach(rememberSecret);
    const alerts = await service.json('PATCH', `/api/v1/shops/${shop}`, { alerts: { emails: [email], events: ['payment.succeeded'] } }, key);
    assert.equal(alerts.status, 200, JSON.stringify(alerts.body));
    if (sink) await confirmByMail(service, (await until('the confirmation mail', async () => sink.to(email)[0])).parsed.text!);
    const payment = await service.json('POST', '/api/v1/payments', { payee_purse: purse, amount: '3.00', phone: ALWAYS_PAYS }, key);
    assert.equal(payment.status, 201, JSON.stringify(payment.body));
    const sms = await service.json('GET', `/api/v1/test/sms?phone=${encodeURIComponent(ALWAYS_PAYS)}`, undefined, key);
    const code = sms.body.data.find((m: { payment_id: string }) => m.payment_id === payment.body.id)?.code as string;
    rememberCode(code);
    const confirmed = await service.json('POST', `/api/v1/payments/${payment.body.id}/confirm`, { code }, key);
    assert.equal(confirmed.body.status, 'succeeded', JSON.stringify(confirmed.body));
    return { shop, key };
  }

  /** Waits for what the service reports, not for a time: a mail at the sink, or a failed mail attempt on /metrics. */
  async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  for (const mode of ['implicit', 'starttls'] as const) {
    it(`${mode === 'implicit' ? 'smtps:// (TLS from the first byte)' : 'smtp:// with STARTTLS'}: the alert arrives encrypted`, async () => {
      const { service, sink } = await serviceMailingTo(mode, true);
      await saleAlertedTo(service, `${mode}@shop.example`, sink);
      assert.equal(sink.to(`${mode}@shop.example`)[0]!.secure, true, 'the confirmation came encrypted');
      const mail = await until('the alert mail', async () => sink.to(`${mode}@shop.example`)[1]);
      assert.equal(mail.secure, true, 'the session was encrypted');
      assert.match(mail.parsed.subject ?? '', /^Paid: 3\.00 USD at TLS Shop$/);
    });
  }

  for (const mode of ['implicit', 'starttls'] as const) it(`${mode === 'implicit' ? 'smtps://' : 'STARTTLS'}: a mail server whose certificate nobody vouched for gets nothing; the confirmation fails, says so in the alert log, and no alert goes out`, async () => {
    const { service, sink } = await serviceMailingTo(mode, false);
    const { shop, key } = await saleAlertedTo(service, `untrusted-${mode}@shop.example`);
    const log = await service.json('GET', `/api/v1/shops/${shop}/alert_log`, undefined, key);
    assert.deepEqual(log.body.data.map((e: { what: string; to: string }) => [e.what, e.to]), [['confirmation_failed', `untrusted-${mode}@shop.example`]]);
    assert.match(log.body.data[0].reason, /certificate|self.signed/i);
    const shown = await service.json('GET', `/api/v1/shops/${shop}`, undefined, key);
    assert.equal(shown.body.alerts.recipients[0].state, 'pending');
    assert.equal(sink.mails.length, 0);
  });
});
