/**
 * The session cookie and the device cookie (auth/devices.ts): HttpOnly, SameSite=Lax, Path=/,
 * and Secure in production.
 *
 * Reading the session cookie goes through one function, for the middleware (which signs the
 * request in) and for the front (which decides whether the request may be answered from the
 * shared cache). Both must see the same thing: were the front to miss a session Astro finds
 * (`pb_session =x`, with a space, is one), a signed-in page would go through the cache path. So
 * this parses the header with the same library and in the same way as Astro's own cookies (the
 * `cookie` package, values URL-decoded when they can be, an empty value counting as none).
 */
import type { AstroCookies } from 'astro';
import { parseCookie } from 'cookie';
import { DEVICE_COOKIE, type DeviceCookie } from '../auth/devices.ts';
import { SESSION_COOKIE, sessionCookieOptions } from '../credentials/sessions.ts';

/** The session token the request carries, if any, as Astro's `cookies.get` would read it. */
export function sessionTokenOf(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parseCookie(cookieHeader)[SESSION_COOKIE] || undefined;
}

export function setSessionCookie(cookies: AstroCookies, token: string, expiresAt: Date, secure: boolean): void {
  cookies.set(SESSION_COOKIE, token, sessionCookieOptions(expiresAt, secure));
}

export function deleteSessionCookie(cookies: AstroCookies, secure: boolean): void {
  cookies.set(SESSION_COOKIE, '', { ...sessionCookieOptions(new Date(0), secure), maxAge: 0 });
}

/** Outlives sign-outs and sessions on purpose: it says "this browser signed in here before". */
export function setDeviceCookie(cookies: AstroCookies, device: DeviceCookie, secure: boolean): void {
  cookies.set(DEVICE_COOKIE, device.token, sessionCookieOptions(device.expiresAt, secure));
}

export function deviceCookieOf(cookies: AstroCookies): string | undefined {
  return cookies.get(DEVICE_COOKIE)?.value;
}
