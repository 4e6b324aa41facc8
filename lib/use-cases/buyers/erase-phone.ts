import type { Deps } from '../shared/deps.js';
import { inTransaction } from '../../postgres/db.js';
import { eraseTraces, paymentsOfPhone } from '../../store/phone-traces.js';
import { lockWalletsOfPhone } from '../../store/phone-export.js';
import { insertAudit } from '../../store/audit-log.js';
import { lockPhoneWallets } from '../../store/wallets.js';
import { AppError } from '../../domain/errors.js';
import { formatAmount } from '../../domain/money.js';
import { erasedPhone } from '../../domain/personal-data.js';
import type { Phone } from '../../domain/phone.js';
import type { UserId } from '../../domain/ids.js';
import type { ActionNote } from '../shared/action-note.js';

/** Who asked: an operator's name for the audit (`admin-api`, `cli:<user>`, a console user's e-mail), and its user id when it has one. */
export type Eraser = { by: string; userId?: UserId | null };

/** The phone as the answer names it (masked), and how many rows of each table named it. */
export type Erasure = { masked: string; rows: Record<string, number> };

/**
 * Erases a phone (docs/operator-guide.md#erasure-and-export): every trace masked to its last 2 digits,
 * its /me sign-ins deleted, its wallets unlinked; refused while a linked wallet holds money (the money
 * is the person's: pay it out first). One transaction; a second erasure finds nothing and changes nothing.
 * `note`: the console's audit entry and one-time token, written instead of the plain audit entry, in the same transaction.
 */
export async function erasePhone(deps: Pick<Deps, 'db' | 'clock'>, phone: Phone, eraser: Eraser, note?: ActionNote<Erasure>): Promise<Erasure> {
  return inTransaction(deps.db, async (trx) => {
    // no wallet of the phone is made or paid into while it is erased
    await lockPhoneWallets(trx, phone, 'live');
    await lockPhoneWallets(trx, phone, 'test');
    const wallets = await lockWalletsOfPhone(trx, phone);
    const full = wallets.find((w) => w.balance !== 0n || w.held !== 0n);
    if (full) {
      throw new AppError('wallet_not_empty', `Wallet ${full.purse} still holds ${formatAmount(full.balance)} ${full.currency} (${formatAmount(full.held)} held): pay it out or refund it before erasing the phone`, { purse: full.purse });
    }
    const rows = await eraseTraces(trx, phone, await paymentsOfPhone(trx, phone));
    const erasure = { masked: `+${erasedPhone(phone)}`, rows };
    // the operator and the rows per table; never the phone
    if (note) await note(trx, erasure);
    else await insertAudit(trx, { audience: 'console', merchantId: null, userId: eraser.userId ?? null, email: eraser.by, action: 'phone.erased', target: null, ip: null, at: deps.clock.now(), details: { rows } });
    return erasure;
  });
}
