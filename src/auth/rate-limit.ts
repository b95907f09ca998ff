/**
 * Sign-in limits: they throttle guesses, never the owner (the Copenhagen Book, "throttling").
 * An attacker who only knows an address must not be able to keep its owner out, and guessing
 * must stay as limited as before. The state is in the database, so it holds across instances.
 *
 * What is counted, per step (password, TOTP code) and over the last 15 minutes: the wrong
 * passwords that were actually checked ("failures"), per client = (address typed, IP). The
 * address counts whether or not an account has it, so nothing here reveals one.
 *
 * An attempt is refused WITHOUT checking the password (429) when
 *   1. this client has 5 failures at this address (the guesser's own budget); or
 *   2. this IP has 30 failures over all addresses and at least one at this address (an IP past
 *      its limit gets no further guesses at the addresses it has been failing on); or
 *   3. this IP has 60 failures over all addresses (a hard bound on the argon2 work one IP can
 *      cause), unless this address signed in successfully from this IP in the last 30 days (a
 *      "known client", like a device cookie, but by IP).
 * Otherwise the password is checked. A right one signs in, whatever the address's count.
 * A wrong one is counted, and answered 429 too (not "wrong password") when the address has
 * 5 failures from any IPs, or the IP 30 over all addresses: past a limit the guesser gets the
 * same 429 for every wrong guess, checked or not, and only success differs.
 *
 * So: the owner's IP has no failures at their address; they get in after any number of
 * wrong guesses from elsewhere (rule 1 only binds the guesser's client), and a colleague behind
 * the same office network gets in after 30 guesses from it (rule 2 only binds addresses that
 * IP was failing on; rule 3 spares people who signed in from there before). Guessing stays
 * bounded per IP: 5 per address, ~30 + one per new address, never more than 60 in total.
 * What is given up: an attacker with many IPs gets 5 checked guesses per IP at one address
 * (before, 5 in total, at the price of locking the owner out). Residual lock-outs: someone who
 * mistyped at an address (or never signed in) from an IP that an attacker pushed past its
 * bound waits out the 15 minutes there, or signs in from elsewhere.
 *
 * Counts live in one row per (step, address, IP, minute) with a count, upserted, so a flood
 * of attempts adds rows only as fast as the limits allow checks. Each attempt is decided and
 * counted under transaction-scoped advisory locks on its address and its IP, so parallel
 * guesses, even on other instances, queue instead of all passing the check before any counts.
 */
import { and, eq, gt, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { loginAttemptCounts, loginKnownClients } from '../db/schema.ts';

export const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
const BUCKET_MS = 60 * 1000;
const KNOWN_CLIENT_MS = 30 * 24 * 60 * 60 * 1000;
export const MAX_FAILURES_PER_CLIENT = 5;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 30;
export const MAX_CHECKS_PER_IP = 60;
/** The row that counts refusals of a whole IP (rule 3): not an address anyone can have. */
const WHOLE_IP = '';

type Kind = (typeof loginAttemptCounts.$inferInsert)['kind'];

export interface AttemptKey {
  kind: Kind;
  email: string;
  ip: string;
}

export type AttemptClaim =
  /** Refused unchecked. `first`: the first refusal of this client (or IP) in the window. */
  | { refused: true; first: boolean }
  | {
      refused: false;
      key: AttemptKey;
      /** A wrong answer now must be a 429 like a refusal (see the rules above). */
      overLimit: boolean;
      /** No failure of this client in the window yet: a wrong answer is worth an audit row. */
      firstFailure: boolean;
    };

const bucketOf = (now: Date) => new Date(Math.floor(now.getTime() / BUCKET_MS) * BUCKET_MS);

const t = loginAttemptCounts;
const sumWhere = (column: typeof t.failures | typeof t.refusals, where: ReturnType<typeof sql>) =>
  sql<number>`coalesce(sum(${column}) filter (where ${where}), 0)`.mapWith(Number);

async function countsFor(db: Db, key: AttemptKey, now: Date) {
  const client = sql`${t.email} = ${key.email} and ${t.ip} = ${key.ip}`;
  const [counts] = await db
    .select({
      client: sumWhere(t.failures, client),
      account: sumWhere(t.failures, sql`${t.email} = ${key.email}`),
      ip: sumWhere(t.failures, sql`${t.ip} = ${key.ip}`),
      clientRefusals: sumWhere(t.refusals, client),
      ipRefusals: sumWhere(t.refusals, sql`${t.email} = ${WHOLE_IP} and ${t.ip} = ${key.ip}`),
    })
    .from(t)
    .where(and(eq(t.kind, key.kind), gt(t.windowStart, new Date(now.getTime() - ATTEMPT_WINDOW_MS)), or(eq(t.email, key.email), eq(t.ip, key.ip))));
  return counts!;
}

async function isKnownClient(db: Db, key: AttemptKey, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ at: loginKnownClients.lastSuccessAt })
    .from(loginKnownClients)
    .where(and(eq(loginKnownClients.kind, key.kind), eq(loginKnownClients.email, key.email), eq(loginKnownClients.ip, key.ip)));
  return row !== undefined && row.at.getTime() > now.getTime() - KNOWN_CLIENT_MS;
}

/** Adds one to this minute's count of the row, making it if needed: one statement, no race. */
async function bump(db: Db, key: AttemptKey, column: 'failures' | 'refusals', now: Date): Promise<void> {
  await db
    .insert(t)
    .values({ ...key, windowStart: bucketOf(now), [column]: 1 })
    .onConflictDoUpdate({ target: [t.kind, t.email, t.ip, t.windowStart], set: { [column]: sql`${t[column]} + 1` } });
}

/**
 * Decides one attempt and counts it: refused, or to be checked (counted as a failure until
 * `settleAttempt` says it succeeded, so parallel guesses cannot slip past the count).
 */
export async function claimAttempt(db: Db, key: AttemptKey, now = new Date()): Promise<AttemptClaim> {
  return db.transaction(async (tx) => {
    // Always the address first, then the IP: one order, so two claims never wait on each other.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${key.kind}:email:${key.email}`}, 0))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${key.kind}:ip:${key.ip}`}, 0))`);
    const counts = await countsFor(tx, key, now);
    const refusedClient = counts.client >= MAX_FAILURES_PER_CLIENT || (counts.ip >= MAX_FAILURES_PER_IP && counts.client > 0);
    if (refusedClient) {
      await bump(tx, key, 'refusals', now);
      return { refused: true, first: counts.clientRefusals === 0 };
    }
    if (counts.ip >= MAX_CHECKS_PER_IP && !(await isKnownClient(tx, key, now))) {
      await bump(tx, { ...key, email: WHOLE_IP }, 'refusals', now);
      return { refused: true, first: counts.ipRefusals === 0 };
    }
    await bump(tx, key, 'failures', now);
    return {
      refused: false,
      key,
      overLimit: counts.account >= MAX_FAILURES_PER_ACCOUNT || counts.ip >= MAX_FAILURES_PER_IP,
      firstFailure: counts.client === 0,
    };
  });
}

/**
 * Records how a checked attempt ended. A failure is already counted; a success clears this
 * client's failures (they were the owner's own typing) and remembers the client as known.
 */
export async function settleAttempt(db: Db, claim: Extract<AttemptClaim, { refused: false }>, succeeded: boolean, now = new Date()): Promise<void> {
  if (!succeeded) return;
  const { key } = claim;
  await db.transaction(async (tx) => {
    await tx.delete(t).where(and(eq(t.kind, key.kind), eq(t.email, key.email), eq(t.ip, key.ip)));
    await tx
      .insert(loginKnownClients)
      .values({ ...key, lastSuccessAt: now })
      .onConflictDoUpdate({ target: [loginKnownClients.kind, loginKnownClients.email, loginKnownClients.ip], set: { lastSuccessAt: now } });
  });
}

/** Counts older than the window, and clients not seen for a month, only take up space. */
export async function pruneAttempts(db: Db, now = new Date()): Promise<void> {
  await db.delete(t).where(lt(t.windowStart, new Date(now.getTime() - 2 * ATTEMPT_WINDOW_MS)));
  await db.delete(loginKnownClients).where(lt(loginKnownClients.lastSuccessAt, new Date(now.getTime() - KNOWN_CLIENT_MS)));
}
