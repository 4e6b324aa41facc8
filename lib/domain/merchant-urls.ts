import { obviouslyPrivateHost } from './addresses.js';

export type MerchantUrls = {
  resultUrl: string | null;
  successUrl: string | null;
  failUrl: string | null;
  webhookUrl: string | null;
  allowedHosts: string[];
};

function hostOf(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The hosts of the merchant's registered URLs plus its allowed_hosts. */
export function registeredHosts(m: MerchantUrls): Set<string> {
  const hosts = [m.resultUrl, m.successUrl, m.failUrl, m.webhookUrl].map(hostOf).filter((h): h is string => !!h);
  return new Set([...hosts, ...m.allowedHosts.map((h) => h.toLowerCase())]);
}

export type UrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/** A URL a merchant gives us to call or to send the buyer to: http(s), no credentials, on a registered host. */
export function checkCallbackUrl(raw: string, m: MerchantUrls | null, allowPrivate: boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'must use http or https' };
  if (url.username || url.password) return { ok: false, reason: 'must not contain credentials' };
  if (!allowPrivate && obviouslyPrivateHost(url.hostname)) return { ok: false, reason: 'points to a private or local address' };
  if (m && !registeredHosts(m).has(url.hostname.toLowerCase())) {
    return { ok: false, reason: `host ${url.hostname} is not one of the merchant's registered hosts` };
  }
  return { ok: true, url: url.toString() };
}
