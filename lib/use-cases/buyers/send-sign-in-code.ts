import type { PayDeps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import * as signInCodes from '../../store/sign-in-codes.js';
import { insertSms } from '../../store/sms-messages.js';
import { consume } from '../limits/rate-limit.js';
import { reserveSms } from '../payments/send-code.js';
import { checkSendLimits } from '../payments/issue-code.js';
import { codeCheckHash, currentCodeSecret } from '../payments/code-secrets.js';
import { AppError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { deriveCode, newCodeCounter } from '../../domain/code.js';
import { resendCooldownLeft } from '../../domain/code-policy.js';
import { secondsAfter } from '../../domain/time.js';
import { CODE_MASK, signInSmsText, webOtpHost } from '../../domain/sms-text.js';
import { SIGN_IN_MODE, signInCodeSubject, type SignInCode } from '../../domain/sign-in.js';
import type { Phone } from '../../domain/phone.js';
import type { Lang } from '../../i18n/index.js';

export type SendSignInInput = { phone: Phone; /** Keyed as the limits key it (clientOf()). */ client: string; lang: Lang };

/**
 * The SMS code of a sign-in at /me (docs/buyer-guide.md#me--the-buyers-wallet-page), under the rules of a payment code:
 * codes per address (counted before anything is checked), the number range and budget, then, under
 * the phone's lock, its caps shared with payment codes and pay links, and the resend cooldown.
 * A frozen wallet's phone may sign in (to see its balance), but nothing it does then unfreezes.
 */
export async function sendSignInCode(deps: PayDeps, input: SendSignInInput): Promise<SignInCode> {
  await consume(deps, 'page_codes', input.client);
  await reserveSms(deps, input.phone, SIGN_IN_MODE);
  const now = deps.clock.now();
  const { code, smsId, typed } = await inTransaction(deps.db, async (trx) => {
    await checkSendLimits(deps, trx, null, input.phone, SIGN_IN_MODE);
    const current = await signInCodes.currentSignInCode(trx, input.phone);
    const wait = current && current.delivery !== 'failed' ? resendCooldownLeft(current.sentAt, now) : 0;
    if (wait > 0) throw new AppError('rate_limited', `Wait ${wait} s before asking for another code`, { retry_after: wait }, { 'Retry-After': String(wait) });
    const secret = currentCodeSecret(deps.config);
    const counter = newCodeCounter();
    const typed = await deriveCode(secret.secret, signInCodeSubject(input.phone), counter, deps.config.codes.length);
    const code = await signInCodes.insertSignInCode(trx, {
      phone: input.phone, counter, secretId: secret.id, sentAt: now, expiresAt: secondsAfter(now, deps.config.codes.ttlSeconds),
      codeHash: codeCheckHash(secret.secret, signInCodeSubject(input.phone), typed),
    });
    const sms = await insertSms(trx, {
      id: newId('sms'), merchantId: null, paymentId: null, codeId: null, mode: SIGN_IN_MODE, kind: 'sign_in', phone: input.phone,
      textRedacted: signInSmsText({ code: CODE_MASK, host: webOtpHost(deps.config.publicUrl), lang: input.lang }), lang: input.lang, createdAt: now,
    });
    return { code, smsId: sms.id, typed };
  });
  const sent = await deps.sms.send({ id: smsId, phone: code.phone, text: signInSmsText({ code: typed, host: webOtpHost(deps.config.publicUrl), lang: input.lang }), mode: SIGN_IN_MODE, paymentId: null });
  // a send that may have gone out counts as sent, as a payment code's does
  await signInCodes.markSignInDelivery(deps.db, code.id, sent.ok || sent.maybeSent ? 'sent' : 'failed');
  if (!sent.ok && !sent.maybeSent) throw new AppError('sms_send_failed', 'We could not send the SMS. Please try again.');
  return code;
}
