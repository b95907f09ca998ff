/**
 * "Forgot your password?": one request for a reset link by mail, answered the same whether an
 * account has the address or not. Limited per address and per IP in the database
 * (claimResetRequest in rate-limit.ts). Past the address's limit the answer is the usual one
 * (so the limit does not tell whether the address has an account) and no mail goes out; past
 * the IP's limit the answer is a plain "too many requests".
 *
 * Timing must not tell either: a known address costs a transaction (link, mail, audit row) that
 * an unknown one does not. So every answer that is not an IP refusal takes at least
 * ANSWER_FLOOR_MS from the start of the request: far more than that work takes, so the time
 * seen is the floor in both cases.
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

export async function forgotPassword(
  db: Db,
  { email, locale, ip, mail, now = new Date() }: { email: string; locale: Locale; ip: string; mail: MailContext; now?: Date },
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
    await requestPasswordReset(db, email, { locale, ip, now, mail });
  }
  await floor;
  return 'answered';
}
