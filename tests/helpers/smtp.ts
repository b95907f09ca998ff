/**
 * A real SMTP server for tests (the `smtp-server` package), on a free port of 127.0.0.1:
 * it collects what it receives (parsed by mailparser), and can be told to misbehave — refuse
 * the connection with a temporary or permanent error, refuse a message at DATA, or take a
 * message's DATA and then never answer (a sender that dies meanwhile has sent it, but cannot
 * know). No STARTTLS (it would need a certificate); AUTH PLAIN/LOGIN over plain text when
 * `users` is given, else no AUTH at all.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  /** The user the client signed in as, if any. */
  user: string | undefined;
  raw: string;
  parsed: ParsedMail;
}

/**
 * accept: take every mail. refuse-connection: answer the greeting with `code` (421 temporary,
 * 554 permanent) and hang up. refuse-data: take the envelope, refuse the message with `code`.
 * hang-after-data: read the whole message, then never answer (see onDataReceived).
 */
export type SmtpBehaviour =
  { mode: 'accept' } | { mode: 'refuse-connection'; code: number } | { mode: 'refuse-data'; code: number } | { mode: 'hang-after-data' };

export interface TestSmtpServer {
  port: number;
  /** smtp://[user:pass@]127.0.0.1:port for SMTP_URL. */
  url: string;
  /** Everything accepted, in order. */
  received: ReceivedMail[];
  /** Messages whose DATA arrived while hanging (never acknowledged). */
  unanswered: ReceivedMail[];
  /** How many connections were opened. */
  connections(): number;
  behaviour: SmtpBehaviour;
  /** Resolves when `count` mails have been accepted, or rejects after `timeoutMs`. */
  waitForMails(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Resolves when a message's DATA has been read in hang-after-data mode. */
  waitForUnanswered(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

async function waitUntil<T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startSmtpServer({
  port = 0,
  users,
  behaviour = { mode: 'accept' },
}: { port?: number; users?: Record<string, string>; behaviour?: SmtpBehaviour } = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const unanswered: ReceivedMail[] = [];
  const hanging = new Set<() => void>();
  let connectionCount = 0;
  const state = { behaviour };

  const server = new SMTPServer({
    disabledCommands: users ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !users,
    logger: false,
    onAuth(auth, _session, callback) {
      if (users && auth.username !== undefined && users[auth.username] === auth.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onConnect(_session, callback) {
      connectionCount += 1;
      const current = state.behaviour;
      if (current.mode === 'refuse-connection') callback(Object.assign(new Error('Not now'), { responseCode: current.code }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void (async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const mail: ReceivedMail = {
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            user: typeof session.user === 'string' ? session.user : undefined,
            raw,
            parsed: await simpleParser(raw),
          };
          const current = state.behaviour;
          if (current.mode === 'refuse-data') return callback(Object.assign(new Error('Message refused'), { responseCode: current.code }));
          if (current.mode === 'hang-after-data') {
            unanswered.push(mail);
            // Never answered; released only so that close() can end the connection.
            hanging.add(() => callback(Object.assign(new Error('Closing'), { responseCode: 421 })));
            return;
          }
          received.push(mail);
          callback();
        })();
      });
    },
  });
  server.listen(port, '127.0.0.1');
  await once(server.server, 'listening');
  const actualPort = (server.server.address() as AddressInfo).port;
  const [user, password] = users ? Object.entries(users)[0]! : [];
  const credentials = user ? `${encodeURIComponent(user)}:${encodeURIComponent(password!)}@` : '';

  return {
    port: actualPort,
    url: `smtp://${credentials}127.0.0.1:${actualPort}`,
    received,
    unanswered,
    connections: () => connectionCount,
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(next: SmtpBehaviour) {
      state.behaviour = next;
    },
    waitForMails: (count, timeoutMs = 10_000) => waitUntil(() => (received.length >= count ? received.slice() : undefined), `${count} mail(s)`, timeoutMs),
    waitForUnanswered: (count, timeoutMs = 10_000) =>
      waitUntil(() => (unanswered.length >= count ? unanswered.slice() : undefined), `${count} unanswered DATA`, timeoutMs),
    close: async () => {
      for (const release of hanging) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago): connections to it are refused. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
