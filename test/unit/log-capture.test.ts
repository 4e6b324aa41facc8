import assert from 'node:assert/strict';
import { leakedSecrets, rememberCode, rememberSecret, issuedCodes, issuedSecrets } from '../helpers/log-capture.js';

describe('the log leak check of the test run', () => {
  it('finds a secret or a code that reached a log line, and nothing in clean lines', () => {
    const secret = 'tp_live_LeakCheckSelfTest000000000000000';
    rememberSecret(secret);
    rememberCode('9753');
    try {
      assert.deepEqual(leakedSecrets(['{"msg":"request","ms":9753}']), [], 'a number that happens to match is not a leak');
      assert.deepEqual(leakedSecrets([`{"key":"${secret}"}`]), [secret]);
      assert.deepEqual(leakedSecrets(['{"text":"9753 is your code to pay"}']), ['code 9753']);
      assert.deepEqual(leakedSecrets(['{"code":"9753"}']), ['code 9753']);
    } finally {
      issuedSecrets.delete(secret);
      issuedCodes.delete('9753');
    }
  });
});
