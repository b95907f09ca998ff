import { describe, expect, it } from 'vitest';
import { checkSelection, COMPARE_MAX, requestedSlugs } from '../../../src/domain/compare.ts';

const known = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

describe('choosing parties to compare', () => {
  it('reads comma-separated and repeated parameters, in order, once each', () => {
    expect(requestedSlugs(['b,a', 'c', 'a', ' D ,'])).toEqual(['b', 'a', 'c', 'd']);
    expect(requestedSlugs(['a', 'a', 'a,a'])).toEqual(['a']);
  });

  it(`accepts 2 to ${COMPARE_MAX} known parties`, () => {
    expect(checkSelection(['a', 'b'], known)).toEqual({ status: 'ok', slugs: ['a', 'b'], unknown: [] });
    expect(checkSelection(known.slice(0, COMPARE_MAX), known).status).toBe('ok');
  });

  it('one party is a start, none is empty, too many is refused', () => {
    expect(checkSelection([], known)).toEqual({ status: 'empty', slugs: [], unknown: [] });
    expect(checkSelection(['a'], known)).toEqual({ status: 'too-few', slugs: ['a'], unknown: [] });
    expect(checkSelection(known.slice(0, COMPARE_MAX + 1), known).status).toBe('too-many');
  });

  it('leaves unknown parties out and names them, comparing the rest', () => {
    expect(checkSelection(['a', 'x', 'b'], known)).toEqual({ status: 'ok', slugs: ['a', 'b'], unknown: ['x'] });
    expect(checkSelection(['a', 'x'], known)).toEqual({ status: 'too-few', slugs: ['a'], unknown: ['x'] });
    expect(checkSelection(['x', 'y'], known)).toEqual({ status: 'empty', slugs: [], unknown: ['x', 'y'] });
  });

  it('names unknown parties without control characters or markup, briefly', () => {
    expect(checkSelection(['a', '\u0000', 'b', '<x>', 'ok\u0007-1', 'z'.repeat(100)], known).unknown).toEqual(['x', 'ok-1', 'z'.repeat(40)]);
    expect(
      checkSelection(
        Array.from({ length: 50 }, (_, i) => `p${i}`),
        known,
      ).unknown,
    ).toHaveLength(10);
  });
});
