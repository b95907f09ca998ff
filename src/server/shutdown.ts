/**
 * Graceful stop on SIGTERM/SIGINT: stop accepting connections, let requests in flight finish
 * (up to a time limit), then close the database and exit 0.
 */
import type { EventEmitter } from 'node:events';
import type http from 'node:http';
import type { Socket } from 'node:net';

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
  // The latest response on each open connection that has had a request, so that a stop can
  // tell those not yet started to close their connection. Kept per connection, not per request
  // (a set of responses, added to and deleted from per request, kept the collector busy).
  const latestResponse = new Map<Socket, http.ServerResponse>();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (stopping) res.shouldKeepAlive = false;
    const socket = req.socket;
    if (!latestResponse.has(socket)) socket.once('close', () => latestResponse.delete(socket));
    latestResponse.set(socket, res);
  });

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: finishing open requests, then stopping.`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Answers still to come say "Connection: close", so each connection ends with its answer
    // and no client sends another request on it; connections with nothing in flight end now.
    for (const res of latestResponse.values()) {
      if (!res.headersSent) res.shouldKeepAlive = false;
      // Pipelined requests: the latest answer went out saying keep-alive while an earlier one
      // is still on its way; once they are all out, the connection is idle: close it then.
      else if (!res.writableFinished) res.once('close', () => server.closeIdleConnections());
    }
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
