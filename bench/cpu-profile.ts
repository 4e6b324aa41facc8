import { readFileSync } from 'node:fs';

type CallFrame = { functionName: string; url: string };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };

const PACKAGES: [RegExp, string][] = [
  [/^(pg|pg-protocol|pg-types|pg-pool|pg-connection-string|postgres-date|postgres-interval|postgres-array|postgres-bytea|pgpass|buffer-writer|packet-reader)$/, 'PostgreSQL driver (pg)'],
  [/^(knex|tarn|lodash|debug|ms|colorette|getopts|pg-int8|escalade)$/, 'query builder (knex)'],
  [/^(pino|@pinojs\/.*|pino-std-serializers|sonic-boom|fast-redact|thread-stream|quick-format-unescaped|atomic-sleep|on-exit-leak-free|safe-stable-stringify)$/, 'logging (pino)'],
  [/^(zod|zod-openapi|libphonenumber-js)$/, 'validation (zod, phone numbers)'],
  [/^(@noble\/hashes|otplib|@otplib\/.*|@node-rs\/argon2)$/, 'crypto'],
  [/^prom-client$/, 'metrics (prom-client)'],
  [/^eta$/, 'templates (eta)'],
  [/^(undici)$/, 'outbound HTTP (SMS, Result)'],
];

const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeString', 'writeUtf8String', 'writeLatin1String', 'writeAsciiString']);

/**
 * Where the service's CPU went in [from, to] (microseconds of the monotonic clock, as V8 stamps its
 * samples): self time grouped by what it served. Native frames (socket writes, JSON) count for the
 * nearest caller that says what they were for.
 */
export function profileBreakdown(file: string, fromUs: number, toUs: number): { busyMs: number; idleMs: number; categories: { name: string; ms: number; share: number }[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const delta = profile.timeDeltas[i + 1] ?? 0; // a sample stands for the time until the next one
    if (at < fromUs || at > toUs) continue;
    const name = categoryOf(profile.samples[i]!, byId, parent);
    totals.set(name, (totals.get(name) ?? 0) + delta);
  }
  const idleUs = totals.get('idle') ?? 0;
  totals.delete('idle');
  const busyUs = [...totals.values()].reduce((a, b) => a + b, 0);
  const categories = [...totals]
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / Math.max(busyUs, 1) }))
    .sort((a, b) => b.ms - a.ms);
  return { busyMs: busyUs / 1000, idleMs: idleUs / 1000, categories };
}

function categoryOf(id: number, byId: Map<number, ProfileNode>, parent: Map<number, number>): string {
  const leaf = byId.get(id)!.callFrame;
  if (leaf.functionName === '(idle)') return 'idle';
  if (leaf.functionName === '(garbage collector)') return 'garbage collection';
  if (leaf.functionName === '(program)') return 'V8 runtime (program)';
  const chain: CallFrame[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) chain.push(byId.get(cur)!.callFrame);
  const owner = chain.find((f) => f.url.includes('node_modules/') || f.url.includes('/lib/'));
  const ownerName = owner ? nameOf(owner.url) : undefined;
  if (leaf.url === '' && SOCKET_WRITES.has(leaf.functionName)) {
    return ownerName === 'PostgreSQL driver (pg)' ? 'socket writes to PostgreSQL' : 'socket writes of HTTP';
  }
  if (leaf.url === '' && (leaf.functionName === 'stringify' || leaf.functionName === 'parse')) return 'JSON';
  if (leaf.url.startsWith('node:internal/crypto')) return 'crypto';
  if (ownerName) return ownerName;
  return leaf.url.startsWith('node:') ? 'Node.js HTTP, streams, timers' : 'other native';
}

function nameOf(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) {
    for (const [pattern, name] of PACKAGES) if (pattern.test(pkg)) return name;
    if (/^(koa|@koa\/.*|koa-.*|delegates|statuses|http-errors|co-body|raw-body|type-is|content-type|accepts|negotiator|cookies|keygrip|on-finished|vary|fresh|depd|encodeurl|escape-html|mime-.*|media-typer|inflation|iconv-lite|qs|path-to-regexp)$/.test(pkg)) return 'HTTP framework (koa)';
    return `other packages (${pkg})`;
  }
  if (/\/lib\/log\.ts/.test(url)) return 'logging (pino)';
  if (/\/lib\/schemas\//.test(url)) return 'validation (zod, phone numbers)';
  return 'service code (lib/)';
}
