
export type CodeLimits = {
  length: number;
  ttlSeconds: number;
  maxWrongTriesPerCode: number;
  maxCodesPerPayment: number;
  maxCodesPerPhonePerHour: number;
  maxWrongTriesPerPhonePerDay: number;
};


/** "Send a new code" waits this long after a send: the page counts it down and the server enforces it. */
export const RESEND_COOLDOWN_SECONDS = 30;

export function resendCooldownLeft(lastSentAt: Date, now: Date): number {
  return Math.max(0, RESEND_COOLDOWN_SECONDS - Math.floor((now.getTime() - lastSentAt.getTime()) / 1000));
}
