/**
 * The session cookie and the device cookie (auth/devices.ts): HttpOnly, SameSite=Lax, Path=/,
 * and Secure in production.
 */
import type { AstroCookies } from 'astro';
import { DEVICE_COOKIE, type DeviceCookie } from '../auth/devices.ts';
import { SESSION_COOKIE, sessionCookieOptions } from '../auth/session.ts';

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
