import type { MerchantId } from './ids.js';
import type { User } from './user.js';

/** docs/merchant-guide.md#back-office: who may do what in the back office. */
export const ROLES = ['owner', 'staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type OfficeAction = 'read' | 'refund' | 'capture' | 'void' | 'redeliver' | 'send_link' | 'payout' | 'manage_shops' | 'manage_keys' | 'manage_users' | 'read_audit';

const STAFF: OfficeAction[] = ['read', 'refund', 'capture', 'void', 'redeliver', 'send_link', 'payout'];
const GRANTS: Record<Role, Set<OfficeAction>> = {
  viewer: new Set(['read']),
  staff: new Set(STAFF),
  owner: new Set([...STAFF, 'manage_shops', 'manage_keys', 'manage_users', 'read_audit']),
};

export function can(role: Role, action: OfficeAction): boolean {
  return GRANTS[role].has(action);
}

/** A back-office user: a merchant's (lib/store/users.ts). */
export type OfficeUser = User & { audience: 'office'; merchantId: MerchantId; email: string; role: Role };

export function isOfficeUser(user: User): user is OfficeUser {
  return user.audience === 'office';
}
