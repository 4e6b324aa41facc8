import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/test-app.js';
import { createTestMerchant } from '../helpers/merchant.js';
import { Receiver } from '../helpers/receiver.js';
import { DnsStub } from '../helpers/dns-stub.js';
import { postOutbound } from '../../lib/notify/outbound-http.js';
import { insertNotification } from '../../lib/store/notifications.js';
import { newId } from '../../lib/domain/ids.js';
import { query } from '../../lib/postgres/db.js';

describe('merchant URLs cannot reach internal addresses (SSRF)', function () {
  this.timeout(60_000);
  const canary = new Receiver();
  const t = useTestApp({ config: { allowPrivateCallbacks: false } });
  before(() => canary.start());
  after(() => canary.stop());

  const urls = () => {
    const p = canary.port;
    return [
      `http://127.0.0.1:${p}/result`,
      `https://127.0.0.1:${p}/result`,
      `http://[::1]:${p}/`,
      `http://2130706433:${p}/`,
      `http://0x7f000001:${p}/`,
      `http://0177.0.0.1:${p}/`,
      `http://127.1:${p}/`,
      `http://0.0.0.0:${p}/`,
      `http://localhost:${p}/`,
      `http://LocalHost:${p}/`,
      `http://[::]:${p}/`,
      `http://0:${p}/`,
      `http://[::ffff:127.0.0.1]:${p}/`,
      `http://[0:0:0:0:0:ffff:7f00:1]:${p}/`,
      'http://10.0.0.1/result',
      'http://172.16.0.1/result',
      'http://192.168.1.1/result',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/result',
      'http://[fd00::1]/result',
      'http://[fe80::1]/result',
      'http://224.0.0.1/result',
      'file:///etc/passwd',
      `gopher://127.0.0.1:${p}/_GET%20/`,
      `ftp://127.0.0.1:${p}/`,
      `dict://127.0.0.1:${p}/`,
      // more spellings of loopback: hex and octal octets, one big octal number, a trailing dot, other loopback addresses
      `http://0x7f.0x0.0x0.0x1:${p}/`,
      `http://0177.0000.0000.0001:${p}/`,
      `http://017700000001:${p}/`,
      `http://127.0.0.1.:${p}/`,
      `http://127.127.127.127:${p}/`,
      `http://127.0.0.2:${p}/`,
      `http://localhost.:${p}/`,
      `http://LOCALHOST:${p}/`,
      // IPv6 forms: full loopback, IPv4-mapped in hex, IPv4-compatible, NAT64 (64:ff9b::/96) of loopback and of a private address
      `http://[0:0:0:0:0:0:0:1]:${p}/`,
      `http://[::ffff:7f00:1]:${p}/`,
      `http://[::127.0.0.1]:${p}/`,
      `http://[64:ff9b::7f00:1]:${p}/`,
      'http://[64:ff9b::a00:1]/result',
      'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/latest/meta-data/',
      'http://[fc00::1]/result',
      'http://[ff02::1]/result',
      'http://[2001:db8::1]/result',
      // userinfo tricks: the host is what follows the last @
      `http://user:pass@127.0.0.1:${p}/`,
      `http://shop.example.com@127.0.0.1:${p}/`,
      `http://shop.example.com:443@[::1]:${p}/`,
      // the edges of private and reserved IPv4 ranges
      'http://10.255.255.255/result',
      'http://172.31.255.255/result',
      'http://192.168.0.0/result',
      'http://198.18.0.1/result',
      'http://192.0.0.1/result',
      'http://240.0.0.1/result',
      'http://255.255.255.255/result',
    ];
  };

  it('refuses each of 54 URLs at connect time, and none reaches the canary listener', async () => {
    assert.ok(urls().length >= 50);
    for (const url of urls()) {
      await assert.rejects(
        postOutbound(url, { body: 'x=1', headers: {}, timeoutMs: 1000, allowPrivate: false }),
        (err: Error) => /is not a public address|resolves to a non-public address|URLs are refused/.test(err.message),
        url,
      );
    }
    assert.equal(canary.connections, 0);
  });

  it('refuses names that resolve to private addresses (a DNS stub on loopback, DNS_SERVERS) at connect time', async () => {
    const dns = await new DnsStub({
      'shop.attacker.example': { a: ['127.0.0.1'] },
      'metadata.attacker.example': { a: ['169.254.169.254'] },
      'intranet.attacker.example': { a: ['10.1.2.3'] },
      'v6.attacker.example': { aaaa: ['::1'] },
      'mapped.attacker.example': { aaaa: ['::ffff:127.0.0.1'] },
      'mixed.attacker.example': { a: ['93.184.216.34', '192.168.0.10'] },
      'nat64.attacker.example': { aaaa: ['64:ff9b::7f00:1'] },
    }).start();
    try {
      for (const name of ['shop', 'metadata', 'intranet', 'v6', 'mapped', 'mixed', 'nat64']) {
        await assert.rejects(
          postOutbound(`http://${name}.attacker.example:${canary.port}/result`, { body: 'x=1', headers: {}, timeoutMs: 2000, allowPrivate: false, dnsServers: [dns.server] }),
          /resolves to a non-public address/,
          name,
        );
      }
      assert.ok(dns.questions >= 7, 'the names were resolved by the stub');
      assert.equal(canary.connections, 0);
    } finally {
      await dns.stop();
    }
  });

  it('refuses them when a merchant registers them as Result or webhook URL', async () => {
    for (const url of urls()) {
      const res = await t.admin('post', '/admin/v1/merchants').send({ name: 'Sneaky', result_url: url });
      assert.equal(res.status, 400, `${url} → ${res.status}`);
      const hook = await t.admin('post', '/admin/v1/merchants').send({ name: 'Sneaky', webhook_url: url });
      assert.equal(hook.status, 400, `${url} → ${hook.status}`);
    }
    assert.equal(canary.connections, 0);
  });

  it('a notification already queued to such a URL is attempted, refused and recorded, never delivered', async () => {
    const merchant = await createTestMerchant(t, { result_url: 'https://shop.example.com/result' });
    for (const url of urls().filter((u) => u.startsWith('http'))) {
      await insertNotification(t.database.db, {
        id: newId('ntf'), merchantId: merchant.id, paymentId: null, kind: 'result', eventType: null, url,
        contentType: 'application/x-www-form-urlencoded', body: 'x=1', createdAt: t.clock.now(), nextAttemptAt: t.clock.now(),
      });
    }
    await t.app.notifier.sweep();
    const rows = await query<{ status: string; last_error: string }>(t.database.db, 'select status, last_error from notifications');
    assert.ok(rows.length >= 20);
    for (const row of rows) {
      assert.equal(row.status, 'pending');
      assert.match(row.last_error, /is not a public address|resolves to a non-public address/);
    }
    assert.equal(canary.connections, 0);
  });
});
