/**
 * Graceful stop on SIGTERM/SIGINT: stop accepting connections, let requests in flight finish
 * (up to a time limit), then close the database and exit 0.
 */
import type http from 'node:http';

export function onShutdownSignal(
  server: http.Server,
  { timeoutMs, close, log = console.log }: { timeoutMs: number; close: () => Promise<void>; log?: (line: string) => void },
): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: finishing open requests, then stopping.`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections with no request in flight would hold close() open: end them now.
    server.closeIdleConnections();
    const timer = setTimeout(() => {
      log(`Requests still open after ${timeoutMs} ms: closing them.`);
      server.closeAllConnections();
    }, timeoutMs);
    await closed;
    clearTimeout(timer);
    await close();
    log('Stopped.');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
