import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { onShutdownSignal } from '../../src/server/shutdown.ts';

describe('stopping on SIGTERM', () => {
  it('lets a request in flight finish, refuses new ones, closes the database, then exits 0', async () => {
    const server = http.createServer((_req, res) => {
      setTimeout(() => res.end('finished'), 300); // a slow page, still rendering at SIGTERM
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const signals = new EventEmitter();
    const events: string[] = [];
    const exited = new Promise<number>((resolve) =>
      onShutdownSignal(server, {
        timeoutMs: 5000,
        close: async () => void events.push('database closed'),
        log: () => {},
        signals,
        exit: (code) => resolve(code),
      }),
    );

    const inFlight = fetch(url).then(async (response) => {
      events.push('response');
      return response.text();
    });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the request has arrived
    signals.emit('SIGTERM');
    await expect(fetch(url)).rejects.toThrow(); // the port no longer takes new requests
    expect(await inFlight).toBe('finished');
    const answeredAt = performance.now();
    expect(await exited).toBe(0);
    expect(events).toEqual(['response', 'database closed']);
    // Once the last answer is out, the stop does not wait for the client's keep-alive to end.
    expect(performance.now() - answeredAt).toBeLessThan(1000);
  });

  it('ends requests that outlast the time limit, and still exits 0', async () => {
    const server = http.createServer(() => {}); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const signals = new EventEmitter();
    const exited = new Promise<number>((resolve) =>
      onShutdownSignal(server, { timeoutMs: 200, close: async () => {}, log: () => {}, signals, exit: (code) => resolve(code) }),
    );
    const hanging = fetch(url).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    signals.emit('SIGTERM');
    expect(await exited).toBe(0);
    expect(await hanging).toBeInstanceOf(Error);
  });
});
