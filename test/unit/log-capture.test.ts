import assert from 'node:assert/strict';
import { leakedSecrets, rememberCode, rememberSecret, issuedCodes, issuedSecrets } from '../helpers/log-capture.js';

describe('the log leak check of the test run', () => {
  it('finds a secret or a code that reached a log line, and nothing in clean lines', () => {
    const secret = 'tp_live_LeakCheckSelfTest000000000000000';
    rememberSecret(secret);
    rememberCode('9753');
    try {
      assert.deepEqual(leakedSecrets(['{"msg":"request","ms":9753}']), [], 'a number that happens to match is not a leak');
      // each leak names its line with the secret cut out, so the failure message leaks nothing either
      assert.deepEqual(leakedSecrets([`{"key":"${secret}"}`]), ['a secret in: {"key":"[LEAKED]"}']);
      assert.deepEqual(leakedSecrets(['{"text":"9753 is your code to pay"}']), ['a code in: {"text":"[CODE] is your code to pay"}']);
      assert.deepEqual(leakedSecrets(['{"code":"9753"}']), ['a code in: {"code":"[CODE]"}']);
    } finally {
      issuedSecrets.delete(secret);
      issuedCodes.delete('9753');
    }
  });
});
