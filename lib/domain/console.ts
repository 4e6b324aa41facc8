import type { User } from './user.js';

/** docs/operator-guide.md#operator-console: who may do what in the operator console. */
export const CONSOLE_ROLES = ['admin', 'finance', 'support', 'cashier'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export type ConsoleAction =
  | 'read' | 'read_audit' | 'refund' | 'fee' | 'payout' | 'topup' | 'voucher' | 'redeliver' | 'lift_limits' | 'freeze'
  | 'suspend' | 'manage_users' | 'manage_operators' | 'erase' | 'cash_in';

const READS: ConsoleAction[] = ['read', 'read_audit'];
const GRANTS: Record<ConsoleRole, Set<ConsoleAction>> = {
  admin: new Set<ConsoleAction>([...READS, 'refund', 'fee', 'payout', 'topup', 'voucher', 'redeliver', 'lift_limits', 'freeze', 'suspend', 'manage_users', 'manage_operators', 'erase', 'cash_in']),
  finance: new Set<ConsoleAction>([...READS, 'payout', 'fee', 'topup', 'voucher', 'refund']),
  support: new Set<ConsoleAction>([...READS, 'redeliver', 'lift_limits', 'freeze']),
  // the wallet desk only: a wallet found by its exact phone, and a top-up within the cashier's daily limit
  cashier: new Set<ConsoleAction>(['cash_in']),
};

export function consoleCan(role: ConsoleRole, action: ConsoleAction): boolean {
  return GRANTS[role].has(action);
}

export function isConsoleRole(value: unknown): value is ConsoleRole {
  return typeof value === 'string' && (CONSOLE_ROLES as readonly string[]).includes(value);
}

/** An operator user (lib/store/users.ts): no merchant, an e-mail, a console role. */
export type ConsoleUser = User & { audience: 'console'; merchantId: null; email: string; role: ConsoleRole };

export function isConsoleUser(user: User): user is ConsoleUser {
  return user.audience === 'console' && isConsoleRole(user.role) && user.email !== null;
}
