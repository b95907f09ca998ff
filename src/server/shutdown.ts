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
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: finishing open requests, then stopping.`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections with no request in flight would hold close() open: end them now,
    // and each one as soon as its last request is answered (not when the client lets go).
    server.closeIdleConnections();
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    const timer = setTimeout(() => {
      log(`Requests still open after ${timeoutMs} ms: closing them.`);
      server.closeAllConnections();
    }, timeoutMs);
    await closed;
    clearTimeout(timer);
    clearInterval(sweeper);
    await close();
    log('Stopped.');
    exit(0);
  };
  signals.once('SIGTERM', () => void stop('SIGTERM'));
  signals.once('SIGINT', () => void stop('SIGINT'));
}
