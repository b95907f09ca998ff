import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../../src/domain/return-path.ts';

describe('where to go back to after signing in', () => {
  it.each([['/mijn-partij'], ['/beheer/partijen/testpartij-a?tab=1#x'], ['/en/my-party'], ['/zoek?q=a%20b']])('accepts the path %s of this site', (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  it.each([
    ['a TAB that browsers drop', '/\t/evil.example'],
    ['a newline', '/\n/evil.example'],
    ['a carriage return', '/x\r\nSet-Cookie: a=b'],
    ['a NUL', '/\0'],
    ['a space', '/ /evil.example'],
    ['a line separator', '/x\u2028y'],
    ['a non-Latin-1 character', '/ĳs€'],
    ['a Latin-1 letter', '/é'],
    ['a scheme-relative address', '//evil.example'],
    ['a backslash', '/\\evil.example'],
    ['a backslash further on', '/a\\b'],
    ['an absolute address', 'https://evil.example/'],
    ['a relative path', 'mijn-partij'],
    ['nothing', ''],
    ['a very long path', `/${'a'.repeat(3000)}`],
  ])('refuses %s', (_what, path) => {
    expect(safeReturnPath(path)).toBeNull();
  });

  it('refuses a missing value', () => {
    expect(safeReturnPath(null)).toBeNull();
    expect(safeReturnPath(undefined)).toBeNull();
  });
});
