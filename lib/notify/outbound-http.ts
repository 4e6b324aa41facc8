import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { ipLiteral, isPublicAddress, obviouslyPrivateHost } from '../domain/addresses.js';

export type OutboundResponse = { status: number; body: string; latencyMs: number };

export type OutboundOptions = {
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  maxBodyBytes?: number;
  /** DNS_SERVERS: resolve merchant hosts with these servers instead of the system resolver. */
  dnsServers?: readonly string[] | null;
};

export class OutboundRefused extends Error {}

/**
 * Resolves through DNS_SERVERS (else the system resolver), then, unless private callbacks are allowed,
 * refuses unless every address is public: the check
 * applies to the address the socket will use, so a name that resolves (or re-resolves) to an
 * internal address never gets a connection.
 */
function guardedLookup(servers: readonly string[] | null | undefined, allowPrivate: boolean): LookupFunction {
  const resolve = servers?.length ? resolverLookup(servers) : systemLookup;
  return (hostname, options, callback) => resolve(hostname, (err, list) => {
    if (err) return callback(err, '', 0);
    const blocked = allowPrivate ? undefined : list.find((a) => !isPublicAddress(a.address));
    if (blocked || list.length === 0) {
      return callback(new OutboundRefused(`${hostname} resolves to a non-public address`), '', 0);
    }
    if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
}

type Resolve = (hostname: string, done: (err: Error | null, list: dns.LookupAddress[]) => void) => void;

const systemLookup: Resolve = (hostname, done) => dns.lookup(hostname, { all: true }, (err, list) => done(err, list ?? []));

const resolvers = new Map<string, Resolve>();

/** Both address families from the given servers; a name with neither is an error, as getaddrinfo would say. */
function resolverLookup(servers: readonly string[]): Resolve {
  const key = servers.join(',');
  let found = resolvers.get(key);
  if (!found) {
    const resolver = new dns.promises.Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([...servers]);
    found = (hostname, done) => {
      Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]).then(([v4, v6]) => {
        const list = [
          ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 })) : []),
          ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 })) : []),
        ];
        done(list.length ? null : new Error(`${hostname} does not resolve`), list);
      });
    };
    resolvers.set(key, found);
  }
  return found;
}

// Keep-alive pools: the guard runs when a connection is made, so a pooled socket has been checked.
const AGENTS = {
  guarded: { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) },
  open: { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) },
};

/**
 * POSTs to a merchant URL: http(s) only, redirects not followed (a 3xx is just a failed attempt),
 * a timeout for the whole exchange, at most `maxBodyBytes` of the answer read.
 */
export function postOutbound(rawUrl: string, opts: OutboundOptions): Promise<OutboundResponse> {
  const started = process.hrtime.bigint();
  const latency = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return reject(new OutboundRefused('not a URL'));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return reject(new OutboundRefused(`${url.protocol} URLs are refused`));
    const literal = ipLiteral(url.hostname);
    if (!opts.allowPrivate && literal && !isPublicAddress(literal)) {
      return reject(new OutboundRefused(`${literal} is not a public address`));
    }
    // local names (localhost., *.internal…) are refused before any lookup, whatever the resolver would say
    if (!opts.allowPrivate && !literal && obviouslyPrivateHost(url.hostname)) {
      return reject(new OutboundRefused(`${url.hostname} is not a public address`));
    }
    const limit = opts.maxBodyBytes ?? 16 * 1024;
    const client = url.protocol === 'https:' ? https : http;
    const agents = opts.allowPrivate ? AGENTS.open : AGENTS.guarded;
    const req = client.request(
      url,
      {
        method: 'POST',
        agent: url.protocol === 'https:' ? agents.https : agents.http,
        headers: { 'User-Agent': 'telepurse-notifier/1', ...opts.headers, 'Content-Length': String(Buffer.byteLength(opts.body)) },
        // DNS_SERVERS resolves every merchant host, also where private addresses are allowed (development)
        lookup: guardedLookup(opts.dnsServers, opts.allowPrivate),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < limit) chunks.push(chunk.subarray(0, limit - size));
          size += chunk.length;
          if (size >= limit) res.destroy();
        });
        const finish = () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), latencyMs: latency() });
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', () => finish());
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) => reject(err));
    req.end(opts.body);
  });
}
