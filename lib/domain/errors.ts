/**
 * The error catalogue: every failure a client can see has a stable `code`, an HTTP status and a
 * human title. Messages (`detail`) of AppErrors are written for the client; anything else that is
 * thrown is a bug and is answered with a bare 500.
 */
export const ERROR_CATALOGUE = {
  invalid_request: [400, 'The request is not valid'],
  unauthorized: [401, 'Authentication is required'],
  forbidden: [403, 'Not allowed'],
  merchant_suspended: [403, 'This merchant is suspended'],
  not_found: [404, 'Not found'],
  payment_not_found: [404, 'Payment not found'],
  wallet_not_found: [404, 'Wallet not found'],
  merchant_not_found: [404, 'Merchant not found'],
  notification_not_found: [404, 'Notification not found'],
  api_key_not_found: [404, 'API key not found'],
  shop_not_found: [404, 'Shop not found'],
  payout_not_found: [404, 'Payout not found'],
  user_not_found: [404, 'User not found'],
  shop_disabled: [409, 'This shop does not accept payments now'],
  wallet_exists: [409, 'The shop already has a payee purse in this currency'],
  method_not_enabled: [422, 'The shop does not offer this payment method'],
  country_not_allowed: [422, 'SMS are not sent to this country'],
  channel_not_configured: [422, 'This message channel is not configured on this service'],
  nothing_payable: [422, 'Nothing is available to pay out'],
  logo_invalid: [422, 'The logo is not a PNG or SVG of at most 100 KB'],
  payout_not_pending: [409, 'The payout is not pending: it was paid or failed already'],
  user_exists: [409, 'A user with this e-mail exists already'],
  last_owner: [409, 'The merchant would have no active owner'],
  last_admin: [409, 'The console would have no active admin'],
  own_operator: [409, 'An admin cannot demote or disable themself'],
  last_api_key: [409, 'The last active API key cannot be revoked'],
  method_not_allowed: [405, 'Method not allowed'],
  idempotency_key_in_flight: [409, 'A request with this Idempotency-Key is still being processed'],
  phone_already_linked: [409, 'This phone already has a wallet in this currency'],
  insufficient_funds: [409, 'Insufficient funds'],
  invalid_state: [409, 'The payment is not in a state that allows this'],
  already_paid: [409, 'This order is already paid'],
  payment_no_conflict: [409, 'This order number is used by another payment'],
  payment_in_progress: [409, 'This order is being paid in another browser'],
  redelivery_limit_reached: [409, 'This notification was redelivered too many times'],
  refund_exceeds_payment: [409, 'The refund exceeds what is left of the payment'],
  refund_window_closed: [409, 'The payment is too old to refund'],
  currency_mismatch: [409, 'Currencies do not match'],
  mode_mismatch: [409, 'Live and test money cannot meet'],
  no_wallet: [409, 'No wallet is linked to this phone in this currency'],
  code_invalid: [422, 'The code is not right'],
  passkey_invalid: [422, 'The passkey was not accepted'],
  voucher_invalid: [422, 'This voucher code is not valid'],
  voucher_expired: [422, 'This voucher has expired'],
  voucher_redeemed: [409, 'This voucher was already redeemed'],
  voucher_not_active: [409, 'The voucher is not active: it was redeemed, voided or expired already'],
  voucher_not_found: [404, 'Voucher not found'],
  cashier_limit: [403, 'This cash-in would pass the cashier\'s daily limit'],
  wallet_frozen: [409, 'This wallet is frozen'],
  wallet_not_empty: [409, 'A wallet linked to this phone still holds money'],
  code_expired: [422, 'The code has expired'],
  idempotency_key_reused: [422, 'This Idempotency-Key was used with another request'],
  payload_too_large: [413, 'The request body is too large'],
  unsupported_media_type: [415, 'Unsupported content type'],
  too_many_attempts: [429, 'Too many attempts'],
  rate_limited: [429, 'Too many requests'],
  sms_send_failed: [502, 'The SMS could not be sent'],
  admin_disabled: [503, 'The admin API is disabled: set ADMIN_TOKEN'],
  not_ready: [503, 'Not ready'],
  internal_error: [500, 'Internal error'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** A field at fault: its name (dotted for nested ones), plain words, and where it was (body, query, path, a command's options). */
export type FieldError = { field: string; message: string; in?: 'body' | 'query' | 'path' | 'options' };

/**
 * The members a problem may carry beside the standard ones (RFC 9457 extensions). Typed so that
 * each one is documented: the OpenAPI `Problem` (lib/schemas/objects.ts) must list every key here.
 */
export type ProblemExtra = {
  errors?: FieldError[];
  tries_left?: number;
  retry_after?: number;
  limit?: string;
  payment_status?: string;
  failure_reason?: string;
  refundable?: string;
  payment_id?: string;
  payout_status?: string;
  purse?: string;
  method?: string;
};

export class AppError extends Error {
  readonly status: number;
  readonly title: string;
  readonly expose = true;

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly extra: ProblemExtra = {},
    readonly headers: Record<string, string> = {},
  ) {
    const [status, title] = ERROR_CATALOGUE[code];
    super(detail ?? title);
    this.status = status;
    this.title = title;
  }
}

export function invalidRequest(detail: string, errors?: FieldError[]): AppError {
  return new AppError('invalid_request', detail, errors ? { errors } : {});
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/**
 * A server key this instance needs is missing or refuses a stored value (DATA_KEY, CODE_SECRET and
 * their rotation settings): answered 503 with Retry-After, so another instance may serve, and logged.
 */
export class ServerKeyError extends Error {}
