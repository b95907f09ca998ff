import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGoals, readParties } from '../../src/content-files.ts';
import { PROJECT_ROOT } from '../../src/server/build.ts';
import { seedDatabase } from '../helpers/seed.ts';
import { runToExit, startServer } from '../helpers/server.ts';
import { TEST_PARTIES } from '../fixtures/board.ts';

interface BoardJson {
  parties: { slug: string; pledges: Record<string, { stance: string; statement: string | null }> }[];
}

async function boardOf(url: string): Promise<BoardJson> {
  return (await (await fetch(new URL('/api/v1/scoreboard.json', url))).json()) as BoardJson;
}

describe('starting and stopping on PGlite in a data folder', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pb-life-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('imports the parties on first start, keeps data across restarts, and never imports twice', async () => {
    const realParties = await readParties();
    const first = await startServer({ DATA_DIR: dataDir });
    expect(first.output()).toContain(`First start: imported ${realParties.length} parties`);
    // No admin yet: a one-time link to create the first one.
    expect(first.output()).toMatch(/There is no admin yet.*\n.*\/uitnodiging\/[a-z2-7]{32}\n/);
    expect((await boardOf(first.url)).parties.map((p) => p.slug).sort()).toEqual(realParties.map((p) => p.slug).sort());
    expect(await first.stop()).toBe(0);

    // While the server is down, a fictional party makes a pledge straight in the database.
    const goals = await readGoals('nl');
    await seedDatabase(
      { engine: 'pglite', dataDir },
      [TEST_PARTIES[0]!],
      [{ party: 'testpartij-a', goal: goals[0]!.slug, stance: 'committed', statement: 'Blijft bewaard.' }],
      goals.map((g) => g.slug),
    );

    for (let restart = 0; restart < 2; restart++) {
      const server = await startServer({ DATA_DIR: dataDir });
      expect(server.output()).not.toContain('First start');
      const board = await boardOf(server.url);
      expect(board.parties).toHaveLength(realParties.length + 1);
      const party = board.parties.find((p) => p.slug === 'testpartij-a')!;
      expect(party.pledges[goals[0]!.slug]).toMatchObject({ stance: 'committed', statement: 'Blijft bewaard.' });
      expect(await server.stop()).toBe(0);
    }
  });

  it('refuses a second server on the same data folder with a clear message', async () => {
    const server = await startServer({ DATA_DIR: dataDir });
    try {
      const second = await runToExit({ DATA_DIR: dataDir });
      expect(second.code).toBe(1);
      expect(second.output).toMatch(/data folder .* is in use by another Pledgeboard process/);
      expect((await fetch(new URL('/healthz', server.url))).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('stops gracefully on SIGTERM: exit code 0, port closed', async () => {
    const server = await startServer({ DATA_DIR: dataDir });
    const code = await server.stop();
    expect(code).toBe(0);
    expect(server.output()).toContain('SIGTERM received');
    expect(server.output()).toContain('Stopped.');
    await expect(fetch(new URL('/healthz', server.url))).rejects.toThrow();
  });
});

describe('configuration errors', () => {
  it('PORT=abc says so and exits non-zero before building or opening anything', async () => {
    const started = Date.now();
    const result = await runToExit({ PORT: 'abc' }, path.join(PROJECT_ROOT, 'src', 'server', 'start.ts'));
    expect(result.code).toBe(1);
    expect(result.output).toContain('Invalid configuration');
    expect(result.output).toMatch(/PORT="abc": /);
    expect(result.output).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a port already in use is reported as such', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-port-'));
    const dir2 = await mkdtemp(path.join(os.tmpdir(), 'pb-port-'));
    const server = await startServer({ DATA_DIR: dir });
    try {
      const port = new URL(server.url).port;
      const second = await runToExit({ DATA_DIR: dir2, PORT: port });
      expect(second.code).toBe(1);
      expect(second.output).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(dir2, { recursive: true, force: true });
    }
  });
});
