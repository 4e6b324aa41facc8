import type { Mode } from './ledger.js';

/**
 * Test phones (test mode only): numbers of the US 555-01xx range, which is reserved for fiction,
 * that behave the same way for every test merchant, so an integration runs end to end with only a
 * `tp_test_` key. In live mode they are ordinary numbers.
 */
export const TEST_PHONES = {
  '12025550101': 'succeeds',
  '12025550102': 'insufficient_funds',
  '12025550103': 'sms_lost',
  '12025550104': 'no_wallet',
} as const;

export type TestPhoneBehaviour = (typeof TEST_PHONES)[keyof typeof TEST_PHONES];

export function testPhoneBehaviour(phone: string, mode: Mode): TestPhoneBehaviour | undefined {
  return mode === 'test' ? TEST_PHONES[phone as keyof typeof TEST_PHONES] : undefined;
}

/** What a test phone's wallet holds when a payment reaches it: plenty, or nothing at all. */
export const TEST_PHONE_BALANCE = 100_000n;
