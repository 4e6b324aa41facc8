import type { MerchantId, UserId } from '../../domain/ids.js';
import type { ActingOnce } from '../shared/action-tokens.js';

/** Who acts in the back office: the user, its merchant, its address, and the form's one-time token. */
export type Actor = { userId: UserId; email: string; merchantId: MerchantId; ip: string | null; once?: ActingOnce };
