import type { Session } from '../../use-cases/users/session.js';
import type { Mode } from '../../domain/ledger.js';
import type { Actor } from '../../use-cases/office/actions.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { OfficeUser } from '../../domain/office.js';

/** `suspended`: the merchant is suspended, the office reads only (docs/merchant-guide.md#back-office). */
export type OfficeState = {
  session: Session<OfficeUser>; actor: Actor; lang: Lang; t: Translate; suspended: boolean;
  /** Whose data the pages show (?mode=test), and the merchant's own mode (docs/merchant-guide.md#test-mode). */
  mode?: Mode; accountMode?: Mode;
};
