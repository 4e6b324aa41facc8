import { AppError } from './errors.js';
import { formatAmount, type Minor } from './money.js';

/**
 * How much a capture takes (docs/merchant-guide.md#the-json-api, manual capture): the amount asked for, or the whole
 * authorization; above zero and never more than was authorized. The one home of this rule: the
 * use-case and the ledger's hold capture both ask it.
 */
export function captureAmount(authorized: Minor, requested: Minor | undefined, currency: string): Minor {
  const amount = requested ?? authorized;
  if (amount <= 0n || amount > authorized) {
    throw new AppError('invalid_request', `At most ${formatAmount(authorized)} ${currency} can be captured`, { errors: [{ field: 'amount', message: 'more than authorized' }] });
  }
  return amount;
}
