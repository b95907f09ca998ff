/**
 * Delivers the outbox (src/domain/outbox.ts) over SMTP with nodemailer: every second it
 * claims the due mails (a lease, so another instance leaves them alone), sends each, and marks
 * it sent; a failed attempt is retried later (1 min, 2, 4 … up to 6 hours), and after 8
 * attempts, or at once on a permanent refusal (an SMTP 5xx answer), it is marked failed for
 * the admins to see. A crash between sending and marking leaves the lease to run out; another
 * round (this instance after a restart, or another one) sends the mail again with the same
 * Message-ID: at least once, never lost.
 *
 * Just before sending, it asks whether the mail is still wanted (src/domain/mail-wanted.ts: an
 * invitation whose link was used, a reminder to a party that has answered …); one that is not
 * is marked cancelled, with the reason, and never sent.
 *
 * Without SMTP_URL no mail is sent and no worker runs: mail is queued as `held` (the caller's
 * MailContext says so), and Beheer and `npm run cli -- outbox` say why it waits. A sender
 * takes held mail like pending mail, so it goes out once any instance has SMTP_URL.
 */
import { createTransport } from 'nodemailer';
import type { MailConfig } from '../config.ts';
import type { Db } from '../db/client.ts';
import { whyMailUnwanted, type WantedContext } from '../domain/mail-wanted.ts';
import {
  claimDueMails,
  markMailAttemptFailed,
  markMailCancelled,
  markMailSent,
  releaseClaimedMails,
  type OutboxRow,
  type RetryPolicy,
} from '../domain/outbox.ts';
import { reminderCampaign as campaignInForce } from './reminder-worker.ts';

const MINUTE = 60_000;

const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, firstRetryMs: MINUTE, maxRetryMs: 6 * 60 * MINUTE };

export interface MailSenderOptions {
  /** How often to look for due mail. */
  pollMs?: number;
  /**
   * How long a claimed mail is this sender's. Longer than one SMTP conversation can take
   * (nodemailer's timeouts below), so a live sender never loses its lease mid-send.
   */
  leaseMs?: number;
  /** Mails claimed per round. */
  batchSize?: number;
  retry?: RetryPolicy;
  /** Seconds nodemailer waits for the server at each step (connect, greeting, each reply). */
  smtpTimeoutMs?: number;
  log?: (line: string) => void;
  /** false: no rounds of its own, only when runOnce() is called (tests). */
  background?: boolean;
  /**
   * On stop, how long a send in progress may take before it is cut off (it is then tried again
   * later, by this or another instance: it may have arrived, so at least once).
   */
  stopGraceMs?: number;
  /**
   * Called after a round that handled mail: an invitation or reminder that went out changes
   * the public record (the board's version moves), which PGlite tells no listener of.
   */
  onHandled?: () => void;
  /**
   * The deadline and goals a waiting reminder is checked against (is it still wanted?): by
   * default the ones in force, as the reminder worker reads them.
   */
  reminderCampaign?: WantedContext['reminderCampaign'];
}

export interface MailWorker {
  /** One round now (claim, send, mark); resolves with the number of mails handled. */
  runOnce(): Promise<number>;
  /**
   * Stops looking for mail, lets the send in progress finish (for at most stopGraceMs), hands
   * back the mails it claimed but did not start, and closes the SMTP connection.
   */
  stop(): Promise<void>;
}

/** An SMTP answer the server will give again: 5xx (mailbox unknown, message refused). */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, response } = error as Error & { code?: string; response?: string };
  return [code, response ?? error.message].filter(Boolean).join(': ');
}

/** The domain of the sender's address: the right part of every Message-ID. */
function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/**
 * Starts the mail worker for this process: a sender in the background until stop() when
 * SMTP_URL (and MAIL_FROM) are set; without them, one that does nothing.
 */
export function startMailWorker(db: Db, mail: MailConfig, options: MailSenderOptions = {}): MailWorker {
  const {
    pollMs = 1000,
    leaseMs = 5 * MINUTE,
    batchSize = 10,
    retry = DEFAULT_RETRY_POLICY,
    smtpTimeoutMs = 60_000,
    log = console.log,
    background = true,
    stopGraceMs = 5000,
    onHandled,
    reminderCampaign = (campaignId: number) => campaignInForce(db, campaignId),
  } = options;
  const { smtpUrl, from: fromAddress } = mail;
  if (!smtpUrl || !fromAddress) return { runOnce: () => Promise.resolve(0), stop: () => Promise.resolve() };
  const from: string = fromAddress;
  const transport = createTransport({ url: smtpUrl, connectionTimeout: smtpTimeoutMs, greetingTimeout: smtpTimeoutMs, socketTimeout: smtpTimeoutMs });

  async function send(row: OutboxRow): Promise<void> {
    try {
      await transport.sendMail({
        from: { name: row.fromName, address: from },
        to: row.toAddress,
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody,
        messageId: `<${row.messageKey}@${domainOf(from)}>`,
        date: row.createdAt,
        headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': row.locale },
        signal: abort.signal,
      });
    } catch (error) {
      const outcome = await markMailAttemptFailed(db, row, describeError(error), { permanent: isPermanent(error), policy: retry });
      log(`Mail ${row.id} (${row.kind}) not delivered, attempt ${row.attempts}: ${describeError(error)}${outcome === 'failed' ? ' — marked failed' : ''}`);
      return;
    }
    await markMailSent(db, row.id);
  }

  async function round(): Promise<number> {
    const rows = await claimDueMails(db, { limit: batchSize, leaseMs });
    // Read once per round and campaign, and only when a reminder is in it.
    const campaigns = new Map<number, ReturnType<WantedContext['reminderCampaign']>>();
    const readCampaign = (campaignId: number) =>
      reminderCampaign(campaignId).catch((error: unknown) => {
        campaigns.delete(campaignId); // not kept: the next reminder in the round reads again
        throw error;
      });
    const wanted: WantedContext = {
      now: new Date(),
      reminderCampaign: (campaignId) => {
        let campaign = campaigns.get(campaignId);
        if (!campaign) campaigns.set(campaignId, (campaign = readCampaign(campaignId)));
        return campaign;
      },
    };
    for (const [index, row] of rows.entries()) {
      if (stopped) {
        // Stopping: the rest of the batch goes back, for the next round anywhere.
        await releaseClaimedMails(db, rows.slice(index));
        break;
      }
      wanted.now = new Date();
      let unwanted: string | null;
      try {
        unwanted = await whyMailUnwanted(db, row, wanted);
        if (unwanted) await markMailCancelled(db, row, unwanted);
      } catch (error) {
        // A blip while checking (or cancelling) one mail: hand it back untried, go on with the rest.
        log(`Mail ${row.id} (${row.kind}) not tried: its check failed (${describeError(error)}); it waits for the next round.`);
        await releaseClaimedMails(db, [row]).catch(() => {});
        continue;
      }
      if (unwanted) {
        log(`Mail ${row.id} (${row.kind}) not sent: no longer wanted (${unwanted}).`);
        continue;
      }
      try {
        await send(row);
      } catch (error) {
        // Sent perhaps, but not marked: its lease runs out and it goes again (at least once).
        log(`Mail ${row.id} (${row.kind}) could not be marked (${describeError(error)}); it is tried again after its lease.`);
      }
    }
    if (rows.length > 0) onHandled?.();
    return rows.length;
  }

  let stopped = false;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<number> | undefined;

  async function runOnce(): Promise<number> {
    // One round at a time in this process: a second caller waits for the first.
    while (current) await current.catch(() => 0);
    current = round();
    try {
      return await current;
    } finally {
      current = undefined;
    }
  }

  const loop = async () => {
    try {
      const handled = await runOnce();
      // A full batch: more may be due, go again at once.
      if (handled >= batchSize && !stopped) {
        timer = setTimeout(() => void loop(), 0);
        return;
      }
    } catch (error) {
      log(`Mail: the outbox could not be read (${describeError(error)}); trying again.`);
    }
    if (!stopped) timer = setTimeout(() => void loop(), pollMs);
  };
  if (background) timer = setTimeout(() => void loop(), 0);

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const cutOff = setTimeout(() => abort.abort(), stopGraceMs);
      await current?.catch(() => 0);
      clearTimeout(cutOff);
      transport.close();
    },
  };
}
