/**
 * Two-factor sign-in with an authenticator app (TOTP, RFC 6238: 30-second steps, 6 digits).
 * A code is accepted for the step before and after the current one (clock drift), and never
 * twice: the caller stores the accepted step and passes it back as `lastStep`.
 */
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { decodeBase64, encodeBase64 } from '@oslojs/encoding';
import { renderSVG } from 'uqr';
import { constantTimeEqual } from '../credentials/tokens.ts';

const PERIOD_SECONDS = 30;
const DIGITS = 6;

export function generateTotpKey(): string {
  const key = new Uint8Array(20);
  crypto.getRandomValues(key);
  return encodeBase64(key);
}

export function totpKeyUri(issuer: string, accountName: string, key: string): string {
  return createTOTPKeyURI(issuer, accountName, decodeBase64(key), PERIOD_SECONDS, DIGITS);
}

/** The key as an SVG QR code for the enrolment page (no script, no third party). */
export function totpQrSvg(uri: string): string {
  return renderSVG(uri, { border: 2 });
}

export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS);
}

/** The step the code belongs to, or null when it is wrong, expired or already used. */
export function verifyTotp(key: string, code: string, now: Date, lastStep: number | null): number | null {
  const digits = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(digits)) return null;
  const bytes = decodeBase64(key);
  const current = totpStep(now);
  for (const step of [current - 1, current, current + 1]) {
    if (lastStep !== null && step <= lastStep) continue;
    if (constantTimeEqual(generateHOTP(bytes, BigInt(step), DIGITS), digits)) return step;
  }
  return null;
}

/** For tests and the CLI: the code an authenticator app would show at this moment. */
export function currentTotpCode(key: string, now: Date): string {
  return generateHOTP(decodeBase64(key), BigInt(totpStep(now)), DIGITS);
}
