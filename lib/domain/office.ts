/** Spec §12: who may do what in the back office. */
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
// five failures for one e-mail within 15 minutes lock it for 15 minutes from the fifth (the rule is in lib/store/sign-in-tries.ts)
export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const LOGIN_LOCK_MS = 15 * 60_000;

export function passwordProblem(password: string): 'too_short' | 'too_long' | undefined {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
  return undefined;
}

/** A session idle for 30 minutes is over. */
export function sessionExpired(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= SESSION_IDLE_MS;
}
