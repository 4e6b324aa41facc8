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
export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const LOGIN_LOCK_MS = 15 * 60_000;

/**
 * Five failures for one e-mail within 15 minutes lock it for 15 minutes from the fifth (spec §12).
 * `failures` are the times of recent failures, oldest first; the lock's end, or undefined.
 */
export function loginLockedUntil(failures: Date[], now: Date): Date | undefined {
  let until: number | undefined;
  for (let i = LOGIN_FAILURE_LIMIT - 1; i < failures.length; i++) {
    const last = failures[i]!.getTime();
    if (last - failures[i - LOGIN_FAILURE_LIMIT + 1]!.getTime() <= LOGIN_WINDOW_MS) until = Math.max(until ?? 0, last + LOGIN_LOCK_MS);
  }
  return until !== undefined && until > now.getTime() ? new Date(until) : undefined;
}

export function passwordProblem(password: string): 'too_short' | 'too_long' | undefined {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
  return undefined;
}

/** A session idle for 30 minutes is over. */
export function sessionExpired(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= SESSION_IDLE_MS;
}
