import type { Session } from '../../use-cases/users/session.js';
import type { ConsoleActor } from '../../use-cases/console/actor.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { ConsoleUser } from '../../domain/console.js';

/** A signed-in operator user (docs/operator-guide.md#operator-console), the page's language, and who the audit names. */
export type ConsoleState = { session: Session<ConsoleUser>; actor: ConsoleActor; lang: Lang; t: Translate };
