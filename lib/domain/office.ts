import type { MerchantId, UserId } from './ids.js';

/** docs/merchant-guide.md#back-office: who may do what in the back office. */
export const ROLES = ['owner', 'staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type OfficeAction = 'read' | 'refund' | 'capture' | 'void' | 'redeliver' | 'send_link' | 'manage_shops' | 'manage_keys' | 'manage_users' | 'read_audit';

const STAFF: OfficeAction[] = ['read', 'refund', 'capture', 'void', 'redeliver', 'send_link'];
const GRANTS: Record<Role, Set<OfficeAction>> = {
  viewer: new Set(['read']),
  staff: new Set(STAFF),
  owner: new Set([...STAFF, 'manage_shops', 'manage_keys', 'manage_users', 'read_audit']),
};

export function can(role: Role, action: OfficeAction): boolean {
  return GRANTS[role].has(action);
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
export const SETUP_LINK_TTL_MS = 72 * 3600_000;
export const SESSION_IDLE_MS = 30 * 60_000;

export function passwordProblem(password: string): 'too_short' | 'too_long' | undefined {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
  return undefined;
}

/** A session idle for 30 minutes is over. */
export function sessionExpired(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= SESSION_IDLE_MS;
}

/** A back-office user (lib/store/office-users.ts). */
export type OfficeUser = {
  id: UserId;
  merchantId: MerchantId;
  email: string;
  role: Role;
  passwordHash: string | null;
  /** Sealed with DATA_KEY. */
  sealedTotpSecret: string | null;
  setupExpiresAt: Date | null;
  createdAt: Date;
  /** A disabled user cannot sign in and has no session. */
  disabledAt: Date | null;
  /** Another merchant's user has this e-mail: this row can never sign in, and no set-up link of it works (docs/merchant-guide.md#back-office). */
  emailElsewhere: boolean;
  /** The merchant's: every user must have an authenticator. */
  requireTotp: boolean;
};

/** A back-office session (lib/store/office-sessions.ts), found by the hash of its cookie. */
export type OfficeSession = { tokenHash: string; userId: UserId; csrfToken: string; secondFactorDue: boolean; createdAt: Date; lastSeenAt: Date };
