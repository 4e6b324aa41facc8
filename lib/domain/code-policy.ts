import { DAY_MS, HOUR_MS, secondsUntil } from './time.js';

export type CodeLimits = {
  length: number;
  ttlSeconds: number;
  maxWrongTriesPerCode: number;
  maxCodesPerPayment: number;
  maxCodesPerPhonePerHour: number;
  maxWrongTriesPerPhonePerDay: number;
};


export type SendVerdict =
  | { ok: true }
  | { ok: false; reason: 'payment_limit' }
  | { ok: false; reason: 'phone_limit' | 'phone_locked'; retryAfterSeconds: number };

/**
 * Whether one more code may be sent. `phoneSendTimes` are the sends to this phone in the last hour
 * and `phoneWrongTryTimes` its wrong tries in the last day (oldest first); failed sends are not counted.
 */
export function sendVerdict(
  limits: CodeLimits,
  now: Date,
  codesOfPayment: number,
  phoneSendTimes: Date[],
  phoneWrongTryTimes: Date[],
): SendVerdict {
  if (phoneWrongTryTimes.length >= limits.maxWrongTriesPerPhonePerDay) {
    const frees = phoneWrongTryTimes[phoneWrongTryTimes.length - limits.maxWrongTriesPerPhonePerDay]!.getTime() + DAY_MS;
    return { ok: false, reason: 'phone_locked', retryAfterSeconds: secondsUntil(frees, now) };
  }
  if (codesOfPayment >= limits.maxCodesPerPayment) return { ok: false, reason: 'payment_limit' };
  if (phoneSendTimes.length >= limits.maxCodesPerPhonePerHour) {
    const frees = phoneSendTimes[phoneSendTimes.length - limits.maxCodesPerPhonePerHour]!.getTime() + HOUR_MS;
    return { ok: false, reason: 'phone_limit', retryAfterSeconds: secondsUntil(frees, now) };
  }
  return { ok: true };
}


export type CodeState = { status: 'live' | 'used' | 'dead'; expiresAt: Date; wrongTries: number };

export type CheckVerdict = 'ok' | 'no_code' | 'expired' | 'dead';

/** Whether a typed code may be compared at all (before comparing it). */
export function codeUsable(code: CodeState | undefined, now: Date): CheckVerdict {
  if (!code) return 'no_code';
  if (code.status !== 'live') return 'dead';
  if (code.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'ok';
}

export type WrongTryOutcome = { triesLeft: number; paymentFails: boolean };

/** After a wrong try: how many are left on this code, and whether the payment must fail now. */
export function afterWrongTry(limits: CodeLimits, wrongTriesOfCode: number, phoneWrongTriesToday: number): WrongTryOutcome {
  const triesLeft = Math.max(0, limits.maxWrongTriesPerCode - wrongTriesOfCode);
  const phoneExhausted = phoneWrongTriesToday >= limits.maxWrongTriesPerPhonePerDay;
  return { triesLeft, paymentFails: triesLeft === 0 || phoneExhausted };
}

/** "Send a new code" waits this long after a send: the page counts it down and the server enforces it. */
export const RESEND_COOLDOWN_SECONDS = 30;

export function resendCooldownLeft(lastSentAt: Date, now: Date): number {
  return Math.max(0, RESEND_COOLDOWN_SECONDS - Math.floor((now.getTime() - lastSentAt.getTime()) / 1000));
}
