<?php
// Verifies the LMI_HASH of a telepurse Result notification (docs/merchant-guide.md#the-result-notification).
// $secretKey: your shop's secret key; $method: your shop's hash_method ('sha256' or 'md5').
function telepurse_verify_result(array $f, string $secretKey, string $method = 'sha256'): bool {
    $names = ['LMI_PAYEE_PURSE', 'LMI_PAYMENT_AMOUNT', 'LMI_PAYMENT_NO', 'LMI_MODE', 'LMI_SYS_INVS_NO',
              'LMI_SYS_TRANS_NO', 'LMI_SYS_TRANS_DATE', null, 'LMI_PAYER_PURSE', 'LMI_PAYER_WM'];
    $text = '';
    foreach ($names as $name) {
        $text .= $name === null ? $secretKey : ($f[$name] ?? '');
    }
    $expected = strtoupper(hash($method, $text));
    return hash_equals($expected, (string)($f['LMI_HASH'] ?? ''));
}

// In your Result URL's handler:
if (!telepurse_verify_result($_POST, getenv('TELEPURSE_SECRET_KEY'))) {
    http_response_code(400);
    exit('bad signature');
}
// count LMI_SYS_INVS_NO once: the same notification may arrive again
echo 'OK';
