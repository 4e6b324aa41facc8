import type { Deps } from '../shared/deps.js';
import { walletsOfPhone, type WalletOfPhone } from '../buyers/wallets-of-phone.js';
import { listEntriesOfPurse, type EntriesFrom } from '../../store/wallet-postings.js';
import { WALLET_PAGE_ENTRIES, type WalletEntry } from '../../domain/wallet-entry.js';
import type { Phone } from '../../domain/phone.js';

/** Which wallet of the phone is paged, and from where (docs/operator-guide.md#operator-console). */
export type HistoryPage = { purse: string } & EntriesFrom;

/** A wallet with one page of its movements; `paged`: not its latest page; `older`, `newer`: the posting ids to page from, when there is more that way. */
export type WalletHistory = WalletOfPhone & { paged: boolean; older?: bigint; newer?: bigint };

/**
 * The console's wallets of a phone, each with its latest page of movements but the one `page` names, which starts where it says.
 * `pagedFound` is false when `page` names no wallet of this phone (every wallet then shows its latest page).
 */
export async function consoleWalletsOfPhone(deps: Pick<Deps, 'db'>, phone: Phone, page?: HistoryPage): Promise<{ found: WalletHistory[]; pagedFound: boolean }> {
  const wallets = await walletsOfPhone(deps, phone, false);
  const found = await Promise.all(wallets.map(({ wallet }) => historyOf(deps, wallet.purse, page?.purse === wallet.purse ? page : undefined)
    .then((history) => ({ wallet, ...history }))));
  return { found, pagedFound: !page || wallets.some((w) => w.wallet.purse === page.purse) };
}

async function historyOf(deps: Pick<Deps, 'db'>, purse: string, from?: EntriesFrom): Promise<{ entries: WalletEntry[]; paged: boolean; older?: bigint; newer?: bigint }> {
  const limit = WALLET_PAGE_ENTRIES;
  // one row past the page says whether there is more in the direction read
  const rows = await listEntriesOfPurse(deps.db, purse, limit + 1, from);
  const more = rows.length > limit;
  const towardsNewer = from?.after !== undefined;
  const entries = more ? (towardsNewer ? rows.slice(1) : rows.slice(0, limit)) : rows;
  const first = entries[0]?.id;
  const last = entries.at(-1)?.id;
  const paged = from?.before !== undefined || towardsNewer;
  // the other direction is one indexed row away
  const any = async (side: EntriesFrom) => (await listEntriesOfPurse(deps.db, purse, 1, side)).length > 0;
  const olderThere = last !== undefined && (towardsNewer ? await any({ before: last }) : more);
  const newerThere = first !== undefined && paged && (towardsNewer ? more : await any({ after: first }));
  return { entries, paged, older: olderThere ? last : undefined, newer: newerThere ? first : undefined };
}
