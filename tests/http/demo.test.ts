import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParties } from '../../src/content-files.ts';
import { DEMO_PARTIES } from '../../src/demo/demo-board.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

describe('the demo board (npm run demo)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ DEMO: '1' });
  });
  afterAll(() => server?.stop());

  it('says on every page that its data is made up', async () => {
    for (const pathname of ['/', `/partijen/${DEMO_PARTIES[0]!.slug}`]) {
      const page = await (await fetch(new URL(pathname, server.url))).text();
      expect(page).toContain('class="demo-banner"');
      expect(page).toContain('zijn verzonnen');
    }
  });

  it('shows only fictional parties, with pledges in every stance', async () => {
    const board = (await (await fetch(new URL('/api/v1/scoreboard.json', server.url))).json()) as {
      parties: { slug: string; name: string; pledges: Record<string, { stance: string }> }[];
    };
    expect(board.parties.map((p) => p.slug).sort()).toEqual(DEMO_PARTIES.map((p) => p.slug).sort());
    const stances = new Set(board.parties.flatMap((p) => Object.values(p.pledges).map((x) => x.stance)));
    expect([...stances].sort()).toEqual(['committed', 'declined', 'none', 'partial']);
    const page = await (await fetch(server.url)).text();
    for (const real of await readParties()) expect(page).not.toContain(`>${real.name}<`);
  });
});
