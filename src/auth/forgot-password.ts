/**
 * "Forgot your password?": one request for a reset link by mail, answered the same whether an
 * account has the address or not. Limited per address and per IP in the database
 * (claimResetRequest in rate-limit.ts). Past the address's limit the answer is the usual one
 * (so the limit does not tell whether the address has an account) and no mail goes out; past
 * the IP's limit the answer is a plain "too many requests".
 *
 * Timing must not tell either. So the request itself does the same work for every address: it
 * counts the request (the limiter's row, which it needs to answer) and hands the rest to a
 * queue (`later`). Only after the answer has gone out (afterResponse in app-context.ts), and a
 * random wait after that, is the address looked up and, for an enabled account, the link made
 * and the mail queued (requestPasswordReset, one transaction, which costs about the same for
 * an unknown address). What the address costs never reaches the answer; ANSWER_FLOOR_MS only
 * paces the answers. The queue lives in the process and holds at most RESET_QUEUE_CAP: a
 * request answered just before a crash, or past the cap, sends no mail (the person asks
 * again); a normal stop waits for the queue (closeApp).
 */
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/client.ts';
import { ANONYMOUS_ACTOR } from '../domain/actors.ts';
import { recordAudit } from '../domain/audit.ts';
import type { Locale } from '../domain/campaign.ts';
import type { MailContext } from '../domain/outbox.ts';
import { requestPasswordReset } from '../domain/password-resets.ts';
import { ipGroupOf } from './ip-group.ts';
import { claimResetRequest } from './rate-limit.ts';

const ANSWER_FLOOR_MS = 250;

/** answered: the same answer for every address; blocked: this IP asked too often. */
export type ForgotPasswordResult = 'answered' | 'blocked';

/** A request that was let through, to be handled after its answer went out. */
export interface ResetRequest {
  email: string;
  locale: Locale;
  ip: string;
  /** When it was asked: the link's life counts from then. */
  now: Date;
  mail: MailContext;
}

export async function forgotPassword(
  db: Db,
  {
    email,
    locale,
    ip,
    mail,
    now = new Date(),
    later,
  }: { email: string; locale: Locale; ip: string; mail: MailContext; now?: Date; later: (request: ResetRequest) => void },
): Promise<ForgotPasswordResult> {
  const floor = sleep(ANSWER_FLOOR_MS);
  const claim = await claimResetRequest(db, { email, ip }, now);
  if (!claim.allowed) {
    // Audited once per address (or IP) and hour, however often it is asked.
    if (claim.first) {
      await recordAudit(db, {
        action: 'password.reset-request.limited',
        actor: ANONYMOUS_ACTOR,
        // What asked too often: the address, or the IP (its /64 for IPv6, as counted).
        subject: claim.limit === 'address' ? email : ipGroupOf(ip),
        ip,
        now,
        details: { limit: claim.limit },
      });
    }
    if (claim.limit === 'ip') return 'blocked';
  } else {
    // No lookup here: whether the address has an account is found out after the answer.
    later({ email, locale, ip, now, mail });
  }
  await floor;
  return 'answered';
}

/** How long after its answer a request is taken up, at the least and at the most (chosen at random). */
export const DRAIN_DELAY_MS = { min: 50, max: 500 } as const;
/** Requests that may wait at once; past it a request is dropped (logged; the person asks again). */
const RESET_QUEUE_CAP = 200;

/** What the queue does with each request: the same function whatever the address. */
export type ResetWork = (db: Db, request: ResetRequest) => Promise<unknown>;

export const handleResetRequest: ResetWork = (db, request) => requestPasswordReset(db, request.email, request);

export interface ResetQueueOptions {
  log?: (line: string) => void;
  cap?: number;
  /** The wait before the queue is taken up, once an answer is out. */
  delayMs?: () => number;
  work?: ResetWork;
}

const randomDelay = () => randomInt(DRAIN_DELAY_MS.min, DRAIN_DELAY_MS.max + 1);

/**
 * The answered requests waiting for their lookup and mail, handled one at a time in the order
 * asked. `add` queues a request (refused past the cap); `answered` says its answer is out and
 * takes the queue up after a random wait (DRAIN_DELAY_MS), not at once: when the work runs says
 * nothing about the answer before it. `drain` handles what is answered now; `idle` handles
 * everything queued and resolves once it is done (a stop, a test). Every request goes through
 * the same `work` (handleResetRequest, which costs about the same for any address). A request that
 * fails is logged (never its address) and does not stop the others.
 */
export class ResetRequestQueue {
  readonly #db: Db;
  readonly #log: (line: string) => void;
  readonly #cap: number;
  readonly #delayMs: () => number;
  readonly #work: ResetWork;
  readonly #waiting: { request: ResetRequest; answered: boolean }[] = [];
  #running: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #everything = false;

  constructor(db: Db, { log = console.error, cap = RESET_QUEUE_CAP, delayMs = randomDelay, work = handleResetRequest }: ResetQueueOptions = {}) {
    this.#db = db;
    this.#log = log;
    this.#cap = cap;
    this.#delayMs = delayMs;
    this.#work = work;
  }

  /** Requests queued and not yet taken up. */
  get size(): number {
    return this.#waiting.length;
  }

  /** Whether a drain is waiting for its moment. */
  get scheduled(): boolean {
    return this.#timer !== null;
  }

  /** Queues a request; false (and a log line) when the queue is full and it is dropped. */
  add(request: ResetRequest): boolean {
    if (this.#waiting.length >= this.#cap) {
      this.#log(`Forgot password: ${this.#cap} reset requests wait already; one more was dropped (no mail goes out for it).`);
      return false;
    }
    this.#waiting.push({ request, answered: false });
    return true;
  }

  /** The request's answer is out: it may be handled now, after a random wait. */
  answered(request: ResetRequest): void {
    const item = this.#waiting.find((waiting) => waiting.request === request);
    if (!item) return;
    item.answered = true;
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      void this.drain();
    }, this.#delayMs()).unref();
  }

  /** Handles the answered requests (also those answered while it runs). */
  drain(): Promise<void> {
    if (!this.#running) {
      const running = this.#handleAll().finally(() => {
        if (this.#running === running) this.#running = null;
      });
      this.#running = running;
    }
    return this.#running;
  }

  /** Handles everything queued, answered or not, now; resolves once nothing is left. */
  async idle(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#everything = true;
    try {
      while (this.#waiting.length > 0 || this.#running) await (this.#running ?? this.drain());
    } finally {
      this.#everything = false;
    }
  }

  async #handleAll(): Promise<void> {
    for (let item = this.#next(); item; item = this.#next()) {
      try {
        await this.#work(this.#db, item.request);
      } catch (error) {
        this.#log(`Forgot password: a reset request could not be handled: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  #next(): { request: ResetRequest } | undefined {
    const index = this.#everything ? 0 : this.#waiting.findIndex((waiting) => waiting.answered);
    return index < 0 ? undefined : this.#waiting.splice(index, 1)[0];
  }
}
