import type { Knex } from '../lib/postgres/db.js';
import { hash } from '@node-rs/argon2';
import type { BenchMerchant } from './setup.js';
import { signIn } from './office-sign-in.js';

/**
 * The CSV export of docs/merchant-guide.md#back-office, measured: `count` failed payments (no money moves, so the ledger stays
 * untouched) written by SQL for one merchant, an owner who signs in, and the whole CSV downloaded
 * while the service's memory is sampled.
 */
export async function seedJournal(db: Knex, merchant: BenchMerchant, count: number): Promise<{ email: string; password: string }> {
  const [shop] = (await db.raw(`select id from shops where merchant_id = ? limit 1`, [merchant.id])).rows as { id: string }[];
  await db.raw(`
    insert into payments (id, merchant_id, shop_id, payee_purse, currency, mode, amount, status, source, capture_mode, success_method, fail_method,
                          phone, payment_no, description, failure_reason, created_at, updated_at, expires_at)
    select 'pay_csvbench' || lpad(i::text, 12, '0'), ?, ?, ?, 'USD', 'live', 100 + i % 1000, 'failed', 'api', 'automatic', 'GET', 'GET',
           '7903' || lpad((i % 10000000)::text, 7, '0'), i, 'CSV bench order ' || i, 'cancelled', now() - make_interval(secs => i), now(), now()
    from generate_series(1, ?::int) i`, [merchant.id, shop!.id, merchant.purse, count]);
  const email = `csv-owner-${Date.now()}@bench.example`;
  const password = 'bench password 12345';
  await db.raw(`insert into users (id, audience, merchant_id, email, role, password_hash, created_at) values (?, 'office', ?, ?, 'owner', ?, now())`,
    [`usr_csvbench${Date.now()}`.slice(0, 28), merchant.id, email, await hash(password)]);
  await db.raw('analyze payments');
  return { email, password };
}

export async function downloadCsv(baseUrl: string, user: { email: string; password: string }, rss: () => number): Promise<{ rows: number; seconds: number; rowsPerSecond: number; rssBeforeMb: number; rssPeakMb: number }> {
  const session = await signIn(baseUrl, user);
  const rssBeforeMb = rss();
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, rss())), 100);
  const started = performance.now();
  const res = await fetch(`${baseUrl}/office/payments.csv`, { headers: { Cookie: session } });
  let newlines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (const byte of chunk) if (byte === 10) newlines += 1;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const rows = newlines - 1; // the header
  return { rows, seconds, rowsPerSecond: rows / seconds, rssBeforeMb, rssPeakMb };
}
