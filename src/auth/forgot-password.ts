/**
 * "Forgot your password?": one request for a reset link by mail, answered the same whether an
 * account has the address or not. Limited per address and per IP in the database
 * (claimResetRequest in rate-limit.ts). Past the address's limit the answer is the usual one
 * (so the limit does not tell whether the address has an account) and no mail goes out; past
 * the IP's limit the answer is a plain "too many requests".
 *
 * Timing must not tell either. So the request itself does the same work for every address: it
 * counts the request (the limiter's row, which it needs to answer) and hands the rest to a
 * queue (`later`). Only after the answer has gone out (the server drains the queue when the
 * response is finished, see afterResponse in app-context.ts) is the address looked up and, for
 * an enabled account, the link made and the mail queued (requestPasswordReset, one
 * transaction). What the address costs never reaches the answer; ANSWER_FLOOR_MS only paces
 * the answers. The queue lives in the process: a request answered just before a crash may send
 * no mail (the person asks again); a normal stop waits for it (closeApp).
 */
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

/**
 * The answered requests waiting for their lookup and mail, handled one at a time in the order
 * asked. `add` only queues; `drain` works through the queue (the server calls it once a
 * response is finished); `idle` resolves once everything queued is handled (a stop, a test).
 * A request that fails is logged (never its address) and does not stop the others.
 */
export class ResetRequestQueue {
  readonly #db: Db;
  readonly #log: (line: string) => void;
  readonly #waiting: ResetRequest[] = [];
  #running: Promise<void> | null = null;

  constructor(db: Db, log: (line: string) => void = console.error) {
    this.#db = db;
    this.#log = log;
  }

  /** Requests queued and not yet taken up. */
  get size(): number {
    return this.#waiting.length;
  }

  add(request: ResetRequest): void {
    this.#waiting.push(request);
  }

  drain(): Promise<void> {
    this.#running ??= (async () => {
      try {
        for (let request = this.#waiting.shift(); request; request = this.#waiting.shift()) {
          try {
            await requestPasswordReset(this.#db, request.email, request);
          } catch (error) {
            this.#log(`Forgot password: a reset request could not be handled: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  idle(): Promise<void> {
    return this.#waiting.length > 0 ? this.drain() : (this.#running ?? Promise.resolve());
  }
}
