import { sessionCookies } from '../shared/session-cookies.js';

export const officeCookies = sessionCookies('tp_office', '/office');
export const SESSION_COOKIE = officeCookies.name;
export const setSessionCookie = officeCookies.set;
export const clearSessionCookie = officeCookies.clear;
export const preSessionToken = officeCookies.preSessionToken;
export const checkPreSessionToken = officeCookies.checkPreSessionToken;
