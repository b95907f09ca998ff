/**
 * A mail sender in a process of its own, for the crash test (tests/integration/outbox.test.ts):
 * it opens the database named by PB_TARGET (a DatabaseTarget as JSON), sends the outbox to
 * SMTP_URL with a lease of LEASE_MS, and prints "sender started". The test kills it with
 * SIGKILL in the middle of a send.
 */
import type { DatabaseTarget } from '../../src/db/client.ts';
import { openDatabase } from '../../src/db/client.ts';
import { startMailWorker } from '../../src/server/mail-sender.ts';

const target = JSON.parse(process.env.PB_TARGET ?? '') as DatabaseTarget;
const database = await openDatabase(target);
startMailWorker(
  database.db,
  { smtpUrl: process.env.SMTP_URL, from: process.env.MAIL_FROM },
  { pollMs: 100, leaseMs: Number(process.env.LEASE_MS), smtpTimeoutMs: 120_000, log: (line) => console.log(line) },
);
console.log('sender started');
