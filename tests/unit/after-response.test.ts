/**
 * Work a page leaves for after its answer (afterResponse in src/app-context.ts, run by the
 * front when the response closes): a task added after the response closed (the client dropped
 * first) still runs, and a task that throws or rejects is logged, not an uncaught exception,
 * and does not stop the others.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterResponse, AfterResponseTasks, type AppContext } from '../../src/app-context.ts';
import { createFrontServer, type AstroHandler } from '../../src/server/front.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the tasks after a response', () => {
  it('waits for the response, then runs each task; one added later runs on the next turn', async () => {
    const ran: string[] = [];
    const tasks = new AfterResponseTasks(() => {});
    tasks.add(() => ran.push('a'));
    await nextTurn();
    expect(ran).toEqual([]);
    tasks.run();
    expect(ran).toEqual(['a']);
    tasks.add(() => ran.push('late'));
    expect(ran).toEqual(['a']);
    await nextTurn();
    expect(ran).toEqual(['a', 'late']);
  });

  it('logs a task that throws or rejects and runs the others', async () => {
    const lines: string[] = [];
    const ran: string[] = [];
    const tasks = new AfterResponseTasks((line) => lines.push(line));
    tasks.add(() => {
      throw new Error('sync kapot');
    });
    tasks.add(async () => {
      throw new Error('async kapot');
    });
    tasks.add(() => ran.push('ok'));
    expect(() => tasks.run()).not.toThrow();
    await nextTurn();
    expect(ran).toEqual(['ok']);
    expect(lines.sort()).toEqual([expect.stringContaining('async kapot'), expect.stringContaining('sync kapot')]);
    tasks.add(() => {
      throw new Error('laat kapot');
    });
    await nextTurn();
    await nextTurn();
    expect(lines).toHaveLength(3);
  });
});

describe('the front runs them', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function serve(handler: AstroHandler) {
    const app = { config: { instanceName: 'een', trustProxy: [] }, health: { up: true, check: async () => true } } as unknown as AppContext;
    server = createFrontServer({ app, astroHandler: handler, staticFiles: new Map() });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('runs a task a page adds after the client dropped the request', async () => {
    let handlerStarted!: () => void;
    const started = new Promise<void>((resolve) => (handlerStarted = resolve));
    let taskRan!: () => void;
    const ran = new Promise<string>((resolve) => (taskRan = () => resolve('ran')));
    const base = await serve(async (_req, res) => {
      handlerStarted();
      // The client goes away while the page still works; the page then leaves a task.
      await new Promise((resolve) => res.once('close', resolve));
      afterResponse(taskRan);
      res.end();
    });
    const request = http.request(`${base}/formulier`, { method: 'POST' });
    request.on('error', () => {});
    request.write('a=1');
    await started;
    request.destroy();
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('stranded'), 2000));
    expect(await Promise.race([ran, timeout])).toBe('ran');
  });

  it('logs a task that throws after the response instead of crashing the server', async () => {
    const errors: unknown[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
    let laterRan!: () => void;
    const later = new Promise<void>((resolve) => (laterRan = resolve));
    const base = await serve((_req, res) => {
      afterResponse(() => {
        throw new Error('taak kapot');
      });
      afterResponse(laterRan);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('klaar');
    });
    const response = await fetch(`${base}/formulier`, { method: 'POST', body: 'a=1' });
    expect(await response.text()).toBe('klaar');
    await later;
    expect(errors).toEqual([expect.stringContaining('taak kapot')]);
    // The server still answers.
    expect((await fetch(`${base}/formulier`, { method: 'POST', body: 'a=2' })).status).toBe(200);
  });
});
