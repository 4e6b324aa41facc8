import type { Session } from '../../use-cases/users/session.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { Phone } from '../../domain/phone.js';

/**
 * The buyer signed in at /me: the session, its phone, the page language, and how the session was opened
 * (`sms_code` here; a passkey sign-in, docs/buyer-guide.md#freeze-i-lost-my-phone, may unfreeze).
 */
export type MeState = { session: Session; phone: Phone; lang: Lang; t: Translate; signedInWith: 'sms_code' | 'passkey' };
