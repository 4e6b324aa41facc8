import { sessionCookies } from '../shared/session-cookies.js';

// docs/operator-guide.md#operator-console: the console's own cookie, sent only under /console
export const consoleCookies = sessionCookies('tp_console', '/console');
