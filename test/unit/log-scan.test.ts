import assert from 'node:assert/strict';
import { personalDataLeaks } from '../helpers/log-scan.js';

describe('the personal-data scan of the test run\'s log', () => {
  it('finds a full phone, a voucher code, a set-up link, a pay-link or receipt token in a log line', () => {
    const leaking = [
      '{"level":30,"msg":"sent","to":"+79031234567"}',
      '{"level":30,"msg":"sent","phone":"79031234567"}',
      '{"level":30,"msg":"request","path":"/admin/v1/phones/79031234567/erase"}',
      '{"level":30,"msg":"request","path":"/admin/v1/phones/%2B79031234567/export"}',
      '{"level":30,"msg":"redeemed","voucher":"7K3M-Q9XR-2B4D-HT6W"}',
      '{"level":30,"msg":"user","setup_url":"https://pay.example/office/setup/3kq9x2m4v7b1n8c5z6w0"}',
      '{"level":30,"msg":"request","path":"/l/Abc_def-ghi1234567890"}',
      '{"level":30,"msg":"request","path":"/r/Abc_def-ghi1234567890"}',
    ];
    for (const line of leaking) assert.equal(personalDataLeaks([line]).length, 1, line);
    // the failure message blanks the digits, so it leaks nothing itself
    assert.ok(!personalDataLeaks([leaking[0]!])[0]!.includes('9031234567'));
  });

  it('leaves clean lines alone: masked phones, ids, purses, amounts, times, cut links, mails', () => {
    const clean = [
      '{"level":30,"time":"2026-12-07T10:00:00.000Z","msg":"request","path":"/admin/v1/phones/+7903*****67/erase","ms":12}',
      '{"level":30,"msg":"paid","payment":"pay_0123456789abcdefghijklmn","purse":"Z123456789012","amount":"12.08","invoice_no":"1042"}',
      '{"level":30,"msg":"request","path":"/l/…","requestId":"3f2b8c1e-4b7a-4c1d-9e2f-0a1b2c3d4e5f"}',
      '{"level":30,"msg":"wallet","holder_id":"123456789012","transfer_id":"98765"}',
      'From: telepurse <no-reply@example>\nYour link: https://pay.example/office/setup/3kq9x2m4v7b1n8c5z6w0',
    ];
    assert.deepEqual(personalDataLeaks(clean), []);
  });
});
