/**
 * The session cookie: HttpOnly, SameSite=Lax, Path=/, and Secure in production.
 */
import type { AstroCookies } from 'astro';
import { SESSION_COOKIE, sessionCookieOptions } from '../auth/session.ts';

export function setSessionCookie(cookies: AstroCookies, token: string, expiresAt: Date, secure: boolean): void {
  cookies.set(SESSION_COOKIE, token, sessionCookieOptions(expiresAt, secure));
}

export function deleteSessionCookie(cookies: AstroCookies, secure: boolean): void {
  cookies.set(SESSION_COOKIE, '', { ...sessionCookieOptions(new Date(0), secure), maxAge: 0 });
}
