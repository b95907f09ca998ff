import { describe, expect, it } from 'vitest';
import { readParties } from '../../src/content-files.ts';
import { DEMO_PARTIES } from '../../src/demo/demo-board.ts';

describe('the demo parties', () => {
  it('share no name, abbreviation or slug with a real party', async () => {
    const real = await readParties();
    const taken = new Set(real.flatMap((p) => [p.name, p.abbreviation, p.slug].map((v) => v.toLowerCase())));
    for (const demo of DEMO_PARTIES) {
      for (const value of [demo.name, demo.abbreviation, demo.slug]) expect(taken.has(value.toLowerCase()), value).toBe(false);
    }
  });

  it('link only to the reserved example.org domain', () => {
    for (const demo of DEMO_PARTIES) expect(new URL(demo.website).hostname).toBe('example.org');
  });
});
