import type { Minor } from './money.js';

/** One movement of a wallet (a posting and the kind of its transfer): `amount` is signed, `balanceAfter` is the wallet's balance after it. */
export type WalletEntry = { id: bigint; transferId: bigint; kind: string; amount: Minor; balanceAfter: Minor; at: Date; paymentId: string | null };

/** How many movements of each wallet the console's wallet page lists. */
export const WALLET_PAGE_ENTRIES = 50;
