import { describe, expect, it } from 'vitest';
import { boardScopeOf } from '../../src/server/board-scope.ts';
import { changedAtIn } from '../../src/server/board-version.ts';

describe('which campaign a cached address shows', () => {
  it.each([
    ['/campagnes/tk-2025/partijen/a?taal=x', { campaign: 'tk-2025' }],
    ['/en/campaigns/tk-2025', { campaign: 'tk-2025' }],
    ['/api/v1/campaigns/tk-2025/scoreboard.json', { campaign: 'tk-2025' }],
    ['/', 'current'],
    ['/partijen/a', 'current'],
    ['/api/v1/scoreboard.json', 'current'],
    ['/api/v1/campaigns.json', 'current'],
    ['/oembed?url=https%3A%2F%2Fx%2Fcampagnes%2Ftk-2025', 'any'],
  ] as const)('%s', (url, scope) => {
    expect(boardScopeOf(url)).toEqual(scope);
  });
});

describe('the version a scope last changed at', () => {
  const read = {
    version: 10,
    sharedChangedAt: 4,
    campaigns: new Map([
      ['a', 9],
      ['b', 2],
    ]),
    current: 'b',
  };

  it('is the later of the campaign’s own change and the last shared one', () => {
    expect(changedAtIn(read, 10, { campaign: 'a' })).toBe(9);
    expect(changedAtIn(read, 10, { campaign: 'b' })).toBe(4);
    expect(changedAtIn(read, 10, 'current')).toBe(4);
  });

  it('is the latest version for anything, an unknown campaign, or a change heard of but not read yet', () => {
    expect(changedAtIn(read, 10, 'any')).toBe(10);
    expect(changedAtIn(read, 10, { campaign: 'nope' })).toBe(10);
    expect(changedAtIn(read, 11, { campaign: 'b' })).toBe(11);
    expect(changedAtIn(null, 3, { campaign: 'b' })).toBe(3);
  });
});
