import type { MerchantId } from '../../domain/ids.js';
import type { Deps } from '../shared/deps.js';
import { listSmsOfPhoneForMerchant } from '../../store/sms-messages.js';
import { findCode } from '../../store/codes.js';
import { deriveCode } from '../../domain/code.js';
import { codeSecretsFor } from '../payments/code-secrets.js';
import { CODE_MASK } from '../../domain/sms-text.js';
import type { Phone } from '../../domain/phone.js';
import { testPhoneBehaviour } from '../../domain/test-phones.js';

export type TestSms = { id: string; payment_id: string | null; kind: string; text: string; code: string | null; status: string; created_at: string };

/**
 * Test mode only: the messages a test merchant's payments sent to a phone, with their codes, so a
 * merchant's integration tests can pay end to end. Codes are recomputed from the server key.
 */
export async function readTestSms(deps: Pick<Deps, 'db' | 'config'>, merchantId: MerchantId, phone: Phone): Promise<TestSms[]> {
  // the test phone whose SMS never arrives has nothing to read, as its owner would have nothing
  if (testPhoneBehaviour(phone, 'test') === 'sms_lost') return [];
  const messages = await listSmsOfPhoneForMerchant(deps.db, merchantId, phone, 'test', 20);
  return Promise.all(
    messages.map(async (m) => {
      const codeRow = m.codeId === null ? undefined : await findCode(deps.db, m.codeId);
      // a code from a CODE_SECRET this instance lacks (mid-rotation) is shown as unknown, not guessed
      const secret = codeRow ? knownSecret(deps.config, codeRow.secretId) : undefined;
      const code = codeRow && secret ? await deriveCode(secret, codeRow.paymentId, Number(codeRow.counter), deps.config.codes.length) : null;
      return {
        id: m.id,
        payment_id: m.paymentId,
        kind: m.kind,
        text: code ? m.textRedacted.split(CODE_MASK).join(code) : m.textRedacted,
        code,
        status: m.status,
        created_at: m.createdAt.toISOString(),
      };
    }),
  );
}

function knownSecret(config: Deps['config'], secretId: string | null): string | undefined {
  try {
    return codeSecretsFor(config, secretId)[0];
  } catch {
    return undefined;
  }
}
