/** English texts of the hosted pages and SMS; every other language has exactly these keys. */
export const en = {
  'page.title': 'Pay {amount} {currency} to {merchant}',
  'summary.pay_to': 'Payment to',
  'summary.amount': 'Amount',
  'summary.description': 'For',
  'phone.label': 'Your phone number',
  'phone.hint': 'With country code, e.g. +7 903 123-45-67. We will send you a code by SMS.',
  'phone.submit': 'Send me the code',
  'code.label': 'Code from the SMS',
  'code.hint': 'We sent a {digits}-digit code to {phone}.',
  'code.submit': 'Pay {amount} {currency}',
  'code.tries_left': '{count} tries left',
  'code.expires': 'The code is valid until {time} UTC.',
  'code.resend': 'Send a new code',
  'code.change_phone': 'Use another phone',
  'cancel.submit': 'Cancel and return to the shop',
  'redirect.continue': 'Continue to the shop',
  'redirect.note': 'You are being sent back to the shop.',
  'result.success.title': 'Payment complete',
  'result.success.text': '{amount} {currency} were paid to {merchant}. You can close this page.',
  'result.fail.title': 'Payment not completed',
  'result.fail.text': 'No money was taken. You can close this page.',
  'error.title': 'Something is not right',
  'error.back': 'Back to the payment',
  'error.request_id': 'Request id',
  'lang.switch': 'Language',
  'sms.code': '{code} is your code to pay {amount} {currency} to {merchant}. Do not share it.',
  'sms.link': 'Pay {amount} {currency} to {merchant}: {url}',
  'sms.refund': 'You received a refund of {amount} {currency} from {merchant}.',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
