/**
 * Sign-in limits: they throttle guesses, not the owner (the Copenhagen Book, "throttling";
 * OWASP, "device cookies"). An attacker who only knows an address must not be able to keep its
 * owner out, and guessing stays as limited as before: 5 checked wrong passwords per address and
 * 15 minutes, from all IPs together. The state is in the database, so it holds across instances.
 *
 * Who is asking decides whose budget an attempt counts against (per step: password, TOTP code):
 *   - a client with a device cookie issued for this address (devices.ts): its own budget;
 *   - else a client on an IP this address signed in from in the last 30 days ("known IP"): the
 *     budget of (address, IP);
 *   - else nobody vouches for it ("untrusted"): ONE budget per address, shared by all of them.
 * Each budget is 5 wrong passwords actually checked ("failures") in the last 15 minutes. The
 * address counts whether or not an account has it, so nothing here reveals one. Every failure
 * also counts for its IP, whoever made it.
 *
 * An attempt is refused WITHOUT checking the password (429) when
 *   1. its budget has 5 failures; or, for untrusted clients only,
 *   2. its IP has 30 failures over all addresses and at least one at this address (an IP past
 *      its limit gets no further guesses at the addresses it has been failing on); or
 *   3. its IP has 60 failures over all addresses (a hard bound on the argon2 work one IP can
 *      cause).
 * Otherwise the password is checked. A wrong one is counted, and answered 429 too (not "wrong
 * password") when the IP has 30 failures: past a limit the guesser gets the same 429 for every
 * wrong guess, checked or not, and only success differs. A right one signs in, hands out a
 * device cookie, and clears the typing errors of a trusted client's budget (not of the shared
 * one: those may be an attacker's).
 *
 * So guessing at one address is bounded by 5 per window from all untrusted clients together,
 * whatever the number of IPs, plus 5 for each client the owner's own sign-ins made trusted
 * (which an attacker needs the owner's cookie, or the owner's network, to use). Per IP: ~30 +
 * one per new address, never more than 60 untrusted checks in total. The owner on their device,
 * or on a network they signed in from, is checked however many guesses come from elsewhere,
 * and a colleague behind the same office network gets in after 30 guesses from it (rule 2 only
 * binds addresses that IP was failing on; rules 2 and 3 spare trusted clients).
 * What is given up: the owner on a new device AND a new network while an attack has spent the
 * address's budget waits out the 15 minutes (or asks an admin for a reset link); someone who
 * mistyped at an address from an IP that an attacker pushed past its bound, likewise. Everyone
 * on the owner's network (a shared NAT) shares the owner's known-IP budget of 5.
 *
 * "IP" means an IPv4 address or an IPv6 /64 (ip-group.ts): one machine with IPv6 can pick any
 * address of its /64, so single IPv6 addresses would rotate past every per-IP rule. Refusals
 * are audited once per address and window (once per IP for rule 3), wrong passwords once per
 * client and window: however many IPs send them, the append-only log grows by little.
 *
 * Counts live in one row per (step, address, IP, budget, minute) with a count, upserted, so a
 * flood of attempts adds rows only as fast as the limits allow checks. Each attempt is decided
 * and counted under transaction-scoped advisory locks on its address and its IP, so parallel
 * guesses, even on other instances, queue instead of all passing the check before any counts.
 */
import { and, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { loginAttemptCounts, loginKnownClients } from '../db/schema.ts';
import { trustedDevice } from './devices.ts';
import { ipGroupOf } from './ip-group.ts';

const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
/** Self-service reset requests let through per address and per IP in an hour (claimResetRequest). */
const RESET_WINDOW_MS = 60 * 60 * 1000;
export const RESET_REQUESTS_PER_ADDRESS = 3;
export const RESET_REQUESTS_PER_IP = 20;
const BUCKET_MS = 60 * 1000;
const KNOWN_CLIENT_MS = 30 * 24 * 60 * 60 * 1000;
/** Rule 1: the budget of all untrusted clients together at one address, and of each trusted one. */
const MAX_FAILURES_PER_BUDGET = 5;
export const MAX_FAILURES_PER_IP = 30;
export const MAX_CHECKS_PER_IP = 60;
/** The row that counts refusals of a whole IP (rule 3): not an address anyone can have. */
const WHOLE_IP = '';
/** `trust` of the counts: nobody vouches for the client, or its IP does (else a device's hash). */
const UNTRUSTED = '';
const KNOWN_IP = 'ip';

type CountedKind = (typeof loginAttemptCounts.$inferInsert)['kind'];
/** The sign-in steps; 'reset-request' has its own rules (claimResetRequest, at the end). */
type Kind = Exclude<CountedKind, 'reset-request'>;

export interface AttemptKey {
  kind: Kind;
  email: string;
  ip: string;
}

export type AttemptClaim =
  /** Refused unchecked. `first`: the first refusal at this address (or of this IP) in the window. */
  | { refused: true; first: boolean }
  | {
      refused: false;
      key: AttemptKey;
      /** Whose budget the attempt counts against: UNTRUSTED, KNOWN_IP or a device's hash. */
      trust: string;
      /** The minute it was counted in (as a failure, until settled). */
      bucket: Date;
      /** A wrong answer now must be a 429 like a refusal (see the rules above). */
      overLimit: boolean;
      /** No failure of this client in the window yet: a wrong answer is worth an audit row. */
      firstFailure: boolean;
    };

const bucketOf = (now: Date) => new Date(Math.floor(now.getTime() / BUCKET_MS) * BUCKET_MS);
/**
 * The minutes that count: every one that holds a moment of the last 15 minutes. A guess is so
 * remembered for at least 15 minutes (and at most 16), whatever second of its minute it came in.
 */
const windowStartAfter = (now: Date) => new Date(now.getTime() - ATTEMPT_WINDOW_MS - BUCKET_MS);

const t = loginAttemptCounts;
const sumWhere = (column: typeof t.failures | typeof t.refusals, where: ReturnType<typeof sql>) =>
  sql<number>`coalesce(sum(${column}) filter (where ${where}), 0)`.mapWith(Number);

/** The counts that make up one budget: the address's shared one, an (address, IP)'s or a device's. */
function budgetOf(key: AttemptKey, trust: string) {
  if (trust === KNOWN_IP) return and(eq(t.kind, key.kind), eq(t.email, key.email), eq(t.ip, key.ip), eq(t.trust, KNOWN_IP))!;
  return and(eq(t.kind, key.kind), eq(t.email, key.email), eq(t.trust, trust))!;
}

async function countsFor(db: Db, key: AttemptKey, trust: string, now: Date) {
  const client = sql`${t.email} = ${key.email} and ${t.ip} = ${key.ip} and ${t.trust} = ${trust}`;
  const [counts] = await db
    .select({
      budget: sumWhere(t.failures, budgetOf(key, trust)),
      client: sumWhere(t.failures, client),
      ip: sumWhere(t.failures, sql`${t.ip} = ${key.ip}`),
      addressRefusals: sumWhere(t.refusals, sql`${t.email} = ${key.email}`),
      ipRefusals: sumWhere(t.refusals, sql`${t.email} = ${WHOLE_IP} and ${t.ip} = ${key.ip}`),
    })
    .from(t)
    .where(and(eq(t.kind, key.kind), gt(t.windowStart, windowStartAfter(now)), or(eq(t.email, key.email), eq(t.ip, key.ip))));
  return counts!;
}

async function isKnownClient(db: Db, key: AttemptKey, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ at: loginKnownClients.lastSuccessAt })
    .from(loginKnownClients)
    .where(and(eq(loginKnownClients.kind, key.kind), eq(loginKnownClients.email, key.email), eq(loginKnownClients.ip, key.ip)));
  return row !== undefined && row.at.getTime() > now.getTime() - KNOWN_CLIENT_MS;
}

/** Whose budget: the device cookie's (if issued for this address), else the known IP's, else the shared one. */
async function trustOf(db: Db, key: AttemptKey, deviceToken: string | undefined, now: Date): Promise<string> {
  const device = await trustedDevice(db, key.kind, key.email, deviceToken, now);
  if (device) return device;
  return (await isKnownClient(db, key, now)) ? KNOWN_IP : UNTRUSTED;
}

/** Adds one to this minute's count of the row, making it if needed: one statement, no race. */
async function bump(db: Db, key: Omit<AttemptKey, 'kind'> & { kind: CountedKind }, trust: string, column: 'failures' | 'refusals', now: Date): Promise<void> {
  await db
    .insert(t)
    .values({ ...key, trust, windowStart: bucketOf(now), [column]: 1 })
    .onConflictDoUpdate({ target: [t.kind, t.email, t.ip, t.trust, t.windowStart], set: { [column]: sql`${t[column]} + 1` } });
}

/**
 * Decides one attempt and counts it: refused, or to be checked (counted as a failure until
 * `settleAttempt` says it succeeded, so parallel guesses cannot slip past the count).
 * `deviceToken`: the device cookie sent along, if any.
 */
export async function claimAttempt(
  db: Db,
  attempt: AttemptKey,
  { deviceToken, now = new Date() }: { deviceToken?: string; now?: Date } = {},
): Promise<AttemptClaim> {
  await pruneNowAndThen(db, now);
  // One IPv6 client has a /64 at least: per-IP rules count it as one (ip-group.ts).
  const key = { ...attempt, ip: ipGroupOf(attempt.ip) };
  return db.transaction(async (tx) => {
    // Always the address first, then the IP: one order, so two claims never wait on each other.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${key.kind}:email:${key.email}`}, 0))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${key.kind}:ip:${key.ip}`}, 0))`);
    const trust = await trustOf(tx, key, deviceToken, now);
    const trusted = trust !== UNTRUSTED;
    const counts = await countsFor(tx, key, trust, now);
    const refusedClient = counts.budget >= MAX_FAILURES_PER_BUDGET || (!trusted && counts.ip >= MAX_FAILURES_PER_IP && counts.client > 0);
    if (refusedClient) {
      await bump(tx, key, trust, 'refusals', now);
      // One audit row per address and window, however many IPs are refused there.
      return { refused: true, first: counts.addressRefusals === 0 };
    }
    if (!trusted && counts.ip >= MAX_CHECKS_PER_IP) {
      await bump(tx, { ...key, email: WHOLE_IP }, UNTRUSTED, 'refusals', now);
      return { refused: true, first: counts.ipRefusals === 0 };
    }
    await bump(tx, key, trust, 'failures', now);
    return {
      refused: false,
      key,
      trust,
      bucket: bucketOf(now),
      overLimit: !trusted && counts.ip >= MAX_FAILURES_PER_IP,
      firstFailure: counts.client === 0,
    };
  });
}

/**
 * Records how a checked attempt ended. A failure is already counted. A success takes back
 * its own count; for a trusted client it clears the budget (the owner's own typing), and it
 * remembers the IP as known for the address.
 */
export async function settleAttempt(db: Db, claim: Extract<AttemptClaim, { refused: false }>, succeeded: boolean, now = new Date()): Promise<void> {
  if (!succeeded) return;
  const { key, trust, bucket } = claim;
  await db.transaction(async (tx) => {
    if (trust === UNTRUSTED) {
      await tx
        .update(t)
        .set({ failures: sql`greatest(${t.failures} - 1, 0)` })
        .where(and(eq(t.kind, key.kind), eq(t.email, key.email), eq(t.ip, key.ip), eq(t.trust, UNTRUSTED), eq(t.windowStart, bucket)));
    } else {
      await tx.delete(t).where(budgetOf(key, trust));
    }
    await tx
      .insert(loginKnownClients)
      .values({ ...key, lastSuccessAt: now })
      .onConflictDoUpdate({ target: [loginKnownClients.kind, loginKnownClients.email, loginKnownClients.ip], set: { lastSuccessAt: now } });
  });
}

/** Counts older than their window, and clients not seen for a month, only take up space. */
async function pruneAttempts(db: Db, now: Date): Promise<void> {
  await db.delete(t).where(and(inArray(t.kind, ['password', 'totp']), lt(t.windowStart, new Date(now.getTime() - 2 * ATTEMPT_WINDOW_MS))));
  await db.delete(t).where(and(eq(t.kind, 'reset-request'), lt(t.windowStart, new Date(now.getTime() - 2 * RESET_WINDOW_MS))));
  await db.delete(loginKnownClients).where(lt(loginKnownClients.lastSuccessAt, new Date(now.getTime() - KNOWN_CLIENT_MS)));
}

const PRUNE_EVERY_MS = 60 * 1000;
/** Per database handle (tests open many), when this process last pruned it. */
const lastPruned = new WeakMap<Db, number>();

/**
 * Prunes at most once a minute per process, on any attempt: a flood of wrong guesses must not
 * grow the counts while nobody signs in. (Other instances prune too; deleting twice is harmless.)
 */
async function pruneNowAndThen(db: Db, now: Date): Promise<void> {
  const last = lastPruned.get(db);
  if (last !== undefined && Math.abs(now.getTime() - last) < PRUNE_EVERY_MS) return;
  lastPruned.set(db, now.getTime());
  await pruneAttempts(db, now);
}

/*
 * Self-service password-reset requests ("forgot password") share the table, the per-minute
 * rows, the address-then-IP advisory locks and the pruning above, with kind 'reset-request':
 * `failures` counts the requests let through, `refusals` those refused. In any hour at most
 * RESET_REQUESTS_PER_ADDRESS requests per address (whether an account has it or not, so the
 * limit reveals nothing) and RESET_REQUESTS_PER_IP per IP (an IPv6 /64 as one) are let through.
 * Every request an IP makes counts for it, also those refused for their address: an IP that
 * hammers one address still runs out.
 */

export type ResetRequestClaim =
  | { allowed: true }
  /** Over a limit. `first`: the first refusal of this address (or IP) in the window, worth an audit row. */
  | { allowed: false; limit: 'address' | 'ip'; first: boolean };

/** Decides one reset request and counts it, under advisory locks as a sign-in attempt is. */
export async function claimResetRequest(db: Db, request: { email: string; ip: string }, now = new Date()): Promise<ResetRequestClaim> {
  await pruneNowAndThen(db, now);
  const key = { kind: 'reset-request' as const, email: request.email, ip: ipGroupOf(request.ip) };
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`reset:email:${key.email}`}, 0))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`reset:ip:${key.ip}`}, 0))`);
    const [counts] = await tx
      .select({
        address: sumWhere(t.failures, sql`${t.email} = ${key.email}`),
        addressRefusals: sumWhere(t.refusals, sql`${t.email} = ${key.email}`),
        ip: sql<number>`coalesce(sum(${t.failures} + ${t.refusals}) filter (where ${t.ip} = ${key.ip} and ${t.email} <> ${WHOLE_IP}), 0)`.mapWith(Number),
        ipRefusals: sumWhere(t.refusals, sql`${t.ip} = ${key.ip} and ${t.email} = ${WHOLE_IP}`),
      })
      .from(t)
      .where(
        and(
          eq(t.kind, 'reset-request'),
          gt(t.windowStart, new Date(now.getTime() - RESET_WINDOW_MS - BUCKET_MS)),
          or(eq(t.email, key.email), eq(t.ip, key.ip)),
        ),
      );
    if (counts!.ip >= RESET_REQUESTS_PER_IP) {
      // Not counted for the address: an IP past its limit cannot use up an owner's requests.
      await bump(tx, { ...key, email: WHOLE_IP }, UNTRUSTED, 'refusals', now);
      return { allowed: false, limit: 'ip', first: counts!.ipRefusals === 0 };
    }
    if (counts!.address >= RESET_REQUESTS_PER_ADDRESS) {
      await bump(tx, key, UNTRUSTED, 'refusals', now);
      return { allowed: false, limit: 'address', first: counts!.addressRefusals === 0 };
    }
    await bump(tx, key, UNTRUSTED, 'failures', now);
    return { allowed: true };
  });
}
