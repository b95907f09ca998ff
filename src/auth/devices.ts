/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser
 * that signed in to an address gets a long-lived random token, and from then on its attempts
 * at that address count against its own budget (see rate-limit.ts), so guesses from anywhere
 * else cannot keep it out. One token per browser, bound to every address signed in with it;
 * the database holds only its SHA-256 (src/credentials/tokens.ts).
 *
 * The token is replaced at every password sign-in (its bindings move to the new one), so a
 * token planted in someone's browser beforehand is worthless once they sign in. A binding is
 * per step: passing the password makes the device trusted for the password step only, and the
 * code step trusts it only after a right code, so knowing the password does not buy extra
 * guesses at the code.
 */
import { and, eq, gt, lt } from 'drizzle-orm';
import { generateToken, hashToken } from '../credentials/tokens.ts';
import type { Db } from '../db/client.ts';
import { loginKnownDevices } from '../db/schema.ts';

export const DEVICE_COOKIE = 'pb_device';
export const DEVICE_LIFETIME_MS = 180 * 24 * 60 * 60 * 1000;

type Kind = (typeof loginKnownDevices.$inferInsert)['kind'];

export interface DeviceCookie {
  token: string;
  expiresAt: Date;
}

const wellFormed = (token: string | undefined): token is string => token !== undefined && /^[a-z2-7]{32}$/.test(token);

/** The device's id (the token's hash) if the token was issued for this address and step lately; else null. */
export async function trustedDevice(db: Db, kind: Kind, email: string, token: string | undefined, now: Date): Promise<string | null> {
  if (!wellFormed(token)) return null;
  const device = hashToken(token);
  const [row] = await db
    .select({ device: loginKnownDevices.device })
    .from(loginKnownDevices)
    .where(
      and(
        eq(loginKnownDevices.kind, kind),
        eq(loginKnownDevices.email, email),
        eq(loginKnownDevices.device, device),
        gt(loginKnownDevices.lastSuccessAt, new Date(now.getTime() - DEVICE_LIFETIME_MS)),
      ),
    );
  return row ? device : null;
}

/**
 * The right password for `email`: a new token for the browser, bound to this address and
 * taking over whatever the previous token (if any) was bound to. Two sign-ins at once from one
 * browser each get a token; the one whose cookie the browser keeps may have lost the other's
 * bindings. That costs only trust (the next sign-in there counts on the shared budget until
 * it succeeds), never access, so it is not worth a lock.
 */
export async function issueDevice(db: Db, { email, previous, now }: { email: string; previous: string | undefined; now: Date }): Promise<DeviceCookie> {
  const token = generateToken();
  const device = hashToken(token);
  await db.transaction(async (tx) => {
    if (wellFormed(previous)) {
      await tx
        .update(loginKnownDevices)
        .set({ device })
        .where(eq(loginKnownDevices.device, hashToken(previous)));
    }
    await bind(tx, 'password', email, device, now);
  });
  return { token, expiresAt: new Date(now.getTime() + DEVICE_LIFETIME_MS) };
}

/** The right code for `email`: the device that passed its password step is trusted for the code too. */
export async function trustDeviceForCode(db: Db, { email, token, now }: { email: string; token: string | undefined; now: Date }): Promise<void> {
  const device = await trustedDevice(db, 'password', email, token, now);
  if (device) await bind(db, 'totp', email, device, now);
}

async function bind(db: Db, kind: Kind, email: string, device: string, now: Date): Promise<void> {
  await db
    .insert(loginKnownDevices)
    .values({ kind, email, device, lastSuccessAt: now })
    .onConflictDoUpdate({ target: [loginKnownDevices.kind, loginKnownDevices.email, loginKnownDevices.device], set: { lastSuccessAt: now } });
}

/** Bindings older than a cookie lives vouch for nothing and only take up space. */
export async function pruneDevices(db: Db, now: Date): Promise<void> {
  await db.delete(loginKnownDevices).where(lt(loginKnownDevices.lastSuccessAt, new Date(now.getTime() - DEVICE_LIFETIME_MS)));
}
