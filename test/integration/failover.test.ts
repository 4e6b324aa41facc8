import assert from 'node:assert/strict';
import { ensureDebianPackage } from '../../tools/debian-package.js';
import { failover } from '../failover/run.js';

/**
 * docs/operator-guide.md#several-instances-and-database-outages, issue #22: etcd, two Patroni nodes with synchronous replication and HAProxy (Debian's
 * packages, installed by the test when missing), the service behind HAProxy and 16 clients paying
 * through a planned switchover and a kill -9 of the primary's postmaster. `npm run failover` adds
 * the loss of the whole primary node and writes bench/results/failover-latest.json.
 */
describe('PostgreSQL failover under load (Patroni, etcd, HAProxy)', function () {
  this.timeout(600_000);
  before(() => {
    for (const [binary, pkg] of [['/usr/bin/patroni', 'patroni'], ['/usr/bin/etcd', 'etcd-server'], ['/usr/sbin/haproxy', 'haproxy'], ['/usr/lib/postgresql/15/bin/postgres', 'postgresql-15']]) {
      ensureDebianPackage(binary!, pkg!, 'the failover test');
    }
  });

  it('loses nothing acknowledged, answers 503 (never 500) during the gap, reports it on /ready and recovers without a restart', async () => {
    const lines: string[] = [];
    const { scenarios } = await failover({ clients: 16, seed: 20261201, log: (l) => lines.push(l), nodeLoss: false });
    const report = JSON.stringify(scenarios, null, 2);
    assert.equal(scenarios.length, 2);
    for (const s of scenarios) {
      assert.deepEqual([s.acknowledged_lost, s.errors_5xx, s.violations.length], [0, 0, 0], `${s.name}\n${report}\n${lines.join('\n')}`);
      assert.ok(s.acknowledged > 20, `${s.name}: payments went on (${s.acknowledged} acknowledged)`);
    }
    assert.notEqual(scenarios[0]!.primary_after, scenarios[0]!.primary_before, 'the switchover moved the primary');
    assert.ok(scenarios[1]!.outage_seconds > 0, '/ready reported the gap after the kill');
  });
});
