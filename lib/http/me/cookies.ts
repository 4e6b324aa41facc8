import { sessionCookies } from '../shared/session-cookies.js';

/** The buyer's session cookie (docs/buyer-guide.md#me--the-buyers-wallet-page): HttpOnly, SameSite=Lax, Path=/me, Secure over HTTPS. */
export const meCookies = sessionCookies('tp_me', '/me');
