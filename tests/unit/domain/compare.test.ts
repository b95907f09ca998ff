import { describe, expect, it } from 'vitest';
import { checkSelection, requestedSlugs } from '../../../src/domain/compare.ts';

const known = ['a', 'b', 'c', 'd', 'e'];

describe('choosing parties to compare', () => {
  it('reads comma-separated and repeated parameters, in order, once each', () => {
    expect(requestedSlugs(['b,a', 'c', 'a', ' D ,'])).toEqual(['b', 'a', 'c', 'd']);
  });

  it('accepts 2 to 4 known parties', () => {
    expect(checkSelection(['a', 'b'], known)).toEqual({ status: 'ok', slugs: ['a', 'b'] });
    expect(checkSelection(['a', 'b', 'c', 'd'], known).status).toBe('ok');
  });

  it('says what is wrong otherwise', () => {
    expect(checkSelection([], known)).toEqual({ status: 'empty' });
    expect(checkSelection(['a'], known).status).toBe('too-few');
    expect(checkSelection(['a', 'b', 'c', 'd', 'e'], known).status).toBe('too-many');
    expect(checkSelection(['a', 'x'], known)).toEqual({ status: 'unknown', slugs: ['a', 'x'], unknown: ['x'] });
  });
});
