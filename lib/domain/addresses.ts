import ipaddr from 'ipaddr.js';

/**
 * Only ordinary public unicast addresses may receive merchant callbacks: loopback, private,
 * link-local (cloud metadata), carrier NAT, multicast, reserved and IPv4-mapped forms of those are not.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    // ::/96, the deprecated IPv4-compatible form (::127.0.0.1): ipaddr.js calls it unicast, it is not a public host
    else if (v6.parts.slice(0, 6).every((part) => part === 0)) return false;
  }
  return parsed.range() === 'unicast';
}

/** The host of a URL as an IP literal, if it is one (WHATWG URLs already turn 2130706433 and 0x7f.1 into dotted form). */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : undefined;
}

const LOCAL_NAMES = /^(localhost|localhost\.localdomain|ip6-localhost|ip6-loopback)$|\.localhost$|\.local$|\.internal$/i;

/** What can be refused from the URL alone; names are checked again against the addresses they resolve to. */
export function obviouslyPrivateHost(hostname: string): boolean {
  const ip = ipLiteral(hostname);
  if (ip) return !isPublicAddress(ip);
  return LOCAL_NAMES.test(hostname.replace(/\.$/, ''));
}

/**
 * The subject of per-address limits (docs/merchant-guide.md#abuse-limits): an IPv4 address, or the /64 of an IPv6 address (one
 * household or phone gets a whole /64, so a full address would give it 2^64 buckets); IPv4-mapped
 * IPv6 is its IPv4 address. Anything unparsable is one shared bucket.
 */
export function clientAddress(ip: string | undefined): string {
  const bare = (ip ?? '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return 'unknown';
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${new ipaddr.IPv6([...v6.parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}
