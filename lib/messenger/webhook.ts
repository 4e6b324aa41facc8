import { createHmac, timingSafeEqual } from 'node:crypto';

/** One entry of a status webhook's `entry[].changes[].value.statuses[]`; `errorCode` from `errors[0].code` of a `failed` one. */
export type WhatsappStatus = { id: string; status: 'sent' | 'delivered' | 'read' | 'failed'; error: string | null };

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

/** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`, compared in constant time. */
export function signatureValid(appSecret: string, raw: Buffer, header: string | undefined): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!m) return false;
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return timingSafeEqual(expected, Buffer.from(m[1]!, 'hex'));
}

function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
}

/** The message statuses a webhook carries; anything else in it (incoming messages, unknown fields) is ignored. */
export function statusesOf(body: unknown): WhatsappStatus[] {
  const out: WhatsappStatus[] = [];
  for (const entry of objects((body as { entry?: unknown } | null)?.entry)) {
    for (const change of objects(entry.changes)) {
      const value = change.value as { statuses?: unknown } | undefined;
      for (const s of objects(value?.statuses)) {
        if (typeof s.id !== 'string' || typeof s.status !== 'string' || !STATUSES.has(s.status)) continue;
        const [first] = objects(s.errors);
        const error = first ? `WhatsApp error ${String(first.code ?? '?')}: ${String(first.title ?? first.message ?? '').slice(0, 200)}` : null;
        out.push({ id: s.id.slice(0, 200), status: s.status as WhatsappStatus['status'], error });
      }
    }
  }
  return out;
}
