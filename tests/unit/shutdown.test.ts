import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { onShutdownSignal } from '../../src/server/shutdown.ts';

describe('stopping on SIGTERM', () => {
  it('lets a request in flight finish, refuses new ones, closes the database, then exits 0', async () => {
    const events: string[] = [];
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const server = http.createServer((_req, res) => {
      arrived();
      res.once('finish', () => events.push('answered'));
      setTimeout(() => res.end('finished'), 300); // a slow page, still rendering at SIGTERM
    });
    // Were the stop to wait for the client's keep-alive to end, it would not end within the test.
    server.keepAliveTimeout = 10 * 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const signals = new EventEmitter();
    const exited = new Promise<number>((resolve) =>
      onShutdownSignal(server, {
        timeoutMs: 10 * 60_000,
        close: async () => void events.push('database closed'),
        log: () => {},
        signals,
        exit: (code) => resolve(code),
      }),
    );

    let connection: string | null = null;
    const inFlight = fetch(url).then(async (response) => {
      connection = response.headers.get('connection');
      return response.text();
    });
    await requestArrived;
    signals.emit('SIGTERM');
    await expect(fetch(url)).rejects.toThrow(); // the port no longer takes new requests
    expect(await inFlight).toBe('finished');
    expect(connection).toBe('close'); // the client will not send another request on it
    // Once the last answer is out, the stop goes on (it waits neither for the keep-alive nor
    // for the time limit, both ten minutes here).
    expect(await exited).toBe(0);
    expect(events).toEqual(['answered', 'database closed']);
  });

  it('tells the request in flight to close its connection when the connection carried earlier ones', async () => {
    let requests = 0;
    let secondArrived!: () => void;
    const secondRequest = new Promise<void>((resolve) => (secondArrived = resolve));
    const server = http.createServer((_req, res) => {
      requests++;
      if (requests === 1) return res.end('eerste');
      secondArrived();
      setTimeout(() => res.end('tweede'), 200);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const signals = new EventEmitter();
    const exited = new Promise<number>((resolve) =>
      onShutdownSignal(server, { timeoutMs: 5000, close: async () => {}, log: () => {}, signals, exit: (code) => resolve(code) }),
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ socket: unknown; connection: string | undefined; body: string }>((resolve, reject) => {
        http
          .get({ port, host: '127.0.0.1', agent }, (res) => {
            const socket = res.socket;
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ socket, connection: res.headers.connection, body }));
          })
          .on('error', reject);
      });
    const first = await get();
    expect(first).toMatchObject({ connection: 'keep-alive', body: 'eerste' });
    const second = get();
    await secondRequest;
    signals.emit('SIGTERM');
    const answered = await second;
    expect(answered.socket).toBe(first.socket); // the same connection, its second request
    expect(answered).toMatchObject({ connection: 'close', body: 'tweede' });
    expect(await exited).toBe(0);
    agent.destroy();
  });

  it('ends requests that outlast the time limit, and still exits 0', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const server = http.createServer(() => arrived()); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const signals = new EventEmitter();
    const exited = new Promise<number>((resolve) =>
      onShutdownSignal(server, { timeoutMs: 200, close: async () => {}, log: () => {}, signals, exit: (code) => resolve(code) }),
    );
    const hanging = fetch(url).catch((error: Error) => error);
    await requestArrived;
    // The time limit on a fake clock: the test says when it has passed.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let exitCode: number | null = null;
      void exited.then((code) => (exitCode = code));
      signals.emit('SIGTERM');
      await vi.advanceTimersByTimeAsync(199);
      // Give the sockets a few turns of the (real) event loop to close, were they closed early.
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(exitCode).toBeNull(); // still waiting for the request
      await vi.advanceTimersByTimeAsync(1);
    } finally {
      vi.useRealTimers();
    }
    expect(await exited).toBe(0);
    expect(await hanging).toBeInstanceOf(Error);
  });
});
