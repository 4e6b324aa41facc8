import type { MerchantId, UserId } from './ids.js';

/** Who a user is to the service: a merchant's (office), an operator (console) or a buyer (me, known by the phone). */
export const AUDIENCES = ['office', 'console', 'me'] as const;
export type Audience = (typeof AUDIENCES)[number];

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

/** Anyone who signs in: the office's, the console's and the buyer's page's users (lib/store/users.ts). */
export type User = {
  id: UserId;
  audience: Audience;
  /** Office users only. */
  merchantId: MerchantId | null;
  /** Office and console users; a buyer has none. */
  email: string | null;
  /** Buyers only, E.164. */
  phone: string | null;
  role: string;
  passwordHash: string | null;
  /** Sealed with DATA_KEY. */
  sealedTotpSecret: string | null;
  setupExpiresAt: Date | null;
  createdAt: Date;
  /** A disabled user cannot sign in and has no session. */
  disabledAt: Date | null;
  /** Another merchant's user has this e-mail: this row can never sign in, and no set-up link of it works (docs/merchant-guide.md#back-office). */
  emailElsewhere: boolean;
  /** An authenticator is required: the merchant's choice for the office, `admin` and `finance` in the console. */
  requireTotp: boolean;
};

/** A session of any audience (lib/store/sessions.ts), found by the hash of its cookie. */
export type UserSession = { tokenHash: string; userId: UserId; csrfToken: string; secondFactorDue: boolean; createdAt: Date; lastSeenAt: Date; signedInWith: SignedInWith | null };

/** How a session began: a passkey is both factors at once (docs/security.md#passkeys); null for sessions older than the column. */
export type SignedInWith = 'password' | 'sms_code' | 'passkey';
