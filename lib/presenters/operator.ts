import type { ConsoleUser } from '../domain/console.js';

/** An operator user in the admin API (docs/operator-guide.md#operator-console); `setupUrl` only in the answer that made it. */
export function operatorJson(u: ConsoleUser, setupUrl: string | null) {
  return {
    id: u.id, object: 'operator' as const, email: u.email, role: u.role, status: u.disabledAt ? 'disabled' as const : 'active' as const,
    totp: u.sealedTotpSecret !== null, totp_required: u.requireTotp, setup_pending: u.passwordHash === null, created_at: u.createdAt.toISOString(), setup_url: setupUrl,
  };
}
