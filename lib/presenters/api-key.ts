import type { ApiKey } from '../domain/api-key.js';

/** An API key as its merchant lists it: never the key itself (only the answer that creates it adds `key`). */
export function apiKeyJson(k: ApiKey) {
  return {
    id: k.id,
    object: 'api_key' as const,
    name: k.name,
    prefix: k.prefix,
    mode: k.mode,
    created_at: k.createdAt.toISOString(),
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
  };
}
