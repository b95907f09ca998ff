import { describe, expect, it } from 'vitest';
import { renderAtomFeed } from '../../../src/site/atom.ts';
import type { PublicChange } from '../../../src/domain/history.ts';
import { strictXmlErrors } from '../../helpers/strict-xml.ts';

describe('Atom feed', () => {
  it('stays well-formed XML when the database holds characters XML forbids', () => {
    const dirty = 'a\u0000b\u000Bc\u001Bd\uFFFFe\uD800f';
    const change = {
      eventId: 1,
      partySlug: 'testpartij-a',
      partyName: `Partij ${dirty}`,
      goalSlug: 'doel',
      stanceBefore: null,
      stanceAfter: 'committed',
      statementAfter: `Tekst ${dirty}`,
      statementAfterHidden: null,
      evidenceUrlAfter: null,
      evidencePageAfter: null,
      actorName: `Vera ${dirty}`,
      at: new Date('2026-05-01T12:00:00Z'),
    } as unknown as PublicChange;
    const xml = renderAtomFeed({
      locale: 'nl',
      siteUrl: 'https://board.example',
      campaignSlug: 'testcampagne',
      title: `Feed ${dirty}`,
      selfPath: '/feed.xml',
      pagePath: '/',
      goals: [],
      changes: [change],
      fallbackUpdated: new Date('2026-05-01T12:00:00Z'),
    });
    expect(strictXmlErrors(xml)).toEqual([]);
    expect(xml).toContain('Tekst abcdef');
  });
});
