/**
 * Graceful stop on SIGTERM/SIGINT: stop accepting connections, let requests in flight finish
 * (up to a time limit), then close the database and exit 0.
 */
import type { EventEmitter } from 'node:events';
import type http from 'node:http';

export function onShutdownSignal(
  server: http.Server,
  {
    timeoutMs,
    close,
    log = console.log,
    signals = process,
    exit = (code: number) => process.exit(code),
  }: {
    timeoutMs: number;
    close: () => Promise<void>;
    log?: (line: string) => void;
    /** Where the signals come from, and how to end: the process, except in a test. */
    signals?: EventEmitter;
    exit?: (code: number) => void;
  },
): void {
  let stopping = false;
  // Responses not yet started, so that a stop can tell them to close their connection.
  const unanswered = new Set<http.ServerResponse>();
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (stopping) res.shouldKeepAlive = false;
    unanswered.add(res);
    res.once('finish', () => unanswered.delete(res)).once('close', () => unanswered.delete(res));
  });

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: finishing open requests, then stopping.`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Answers still to come say "Connection: close", so each connection ends with its answer
    // and no client sends another request on it; connections with nothing in flight end now.
    for (const res of unanswered) if (!res.headersSent) res.shouldKeepAlive = false;
    server.closeIdleConnections();
    const timer = setTimeout(() => {
      log(`Requests still open after ${timeoutMs} ms: closing them.`);
      server.closeAllConnections();
    }, timeoutMs);
    await closed;
    clearTimeout(timer);
    await close();
    log('Stopped.');
    exit(0);
  };
  signals.once('SIGTERM', () => void stop('SIGTERM'));
  signals.once('SIGINT', () => void stop('SIGINT'));
}
