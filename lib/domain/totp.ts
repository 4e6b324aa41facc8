import { generate, generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238: 6 digits, 30-second steps, SHA-1 (what every authenticator app reads from a QR code). */
const DIGITS = 6;

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: 'telepurse', label: account, secret });
}

/** The code at `now`; tests use it as an authenticator app would. */
export function totpCode(secret: string, now: Date): Promise<string> {
  return generate({ secret, digits: DIGITS, epoch: Math.floor(now.getTime() / 1000) });
}

/** The 30-second step a code belongs to, if it is right; one step of clock drift either way is accepted (anything but 6 digits is simply wrong: otplib throws on it). */
export async function totpStep(secret: string, code: string, now: Date): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = await verify({ secret, token: code, digits: DIGITS, epoch: Math.floor(now.getTime() / 1000), epochTolerance: 30 });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
