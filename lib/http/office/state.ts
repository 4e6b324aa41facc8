import type { Session } from '../../use-cases/office/session.js';
import type { Actor } from '../../use-cases/office/actions.js';
import type { Lang, Translate } from '../../i18n/index.js';

/** `suspended`: the merchant is suspended, the office reads only (docs/merchant-guide.md#back-office). */
export type OfficeState = { session: Session; actor: Actor; lang: Lang; t: Translate; suspended: boolean };
