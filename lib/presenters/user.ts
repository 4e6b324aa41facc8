import type { OfficeUser } from '../domain/office.js';

/** A back-office user in the operator API (docs/merchant-guide.md#back-office); `setupUrl` only in the answer that made it. */
export function userJson(u: OfficeUser, setupUrl: string | null) {
  return {
    id: u.id, object: 'user' as const, merchant_id: u.merchantId, email: u.email, role: u.role, status: u.disabledAt ? 'disabled' as const : 'active' as const,
    totp: u.sealedTotpSecret !== null, setup_pending: u.passwordHash === null, created_at: u.createdAt.toISOString(), setup_url: setupUrl,
  };
}
