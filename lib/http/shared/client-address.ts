import type { AppContext } from './context.js';
import { clientAddress } from '../../domain/addresses.js';

/** The buyer's address as per-address limits count it (docs/merchant-guide.md#abuse-limits): the socket's, or with TRUST_PROXY the one the trusted proxy added; IPv6 by its /64. */
export function clientOf(ctx: Pick<AppContext, 'ip'>): string {
  return clientAddress(ctx.ip);
}
