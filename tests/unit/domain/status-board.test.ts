import { describe, expect, it } from 'vitest';
import { NO_OUTREACH } from '../../../src/domain/outreach.ts';
import { nextActionOf, sortStatusBoard, type PartyStatus } from '../../../src/domain/status-board.ts';
import { outreachSentence, outreachShort } from '../../../src/i18n/outreach.ts';

const base = { representatives: 0, openInvites: 0, expiredInvites: 0, goalsAnswered: 0, goalsTotal: 4 };

describe('what to do next for a party', () => {
  it('goes from invite to resend, wait, remind and nothing', () => {
    expect(nextActionOf(base)).toBe('invite');
    expect(nextActionOf({ ...base, expiredInvites: 1 })).toBe('resend');
    expect(nextActionOf({ ...base, expiredInvites: 1, openInvites: 1 })).toBe('await');
    expect(nextActionOf({ ...base, openInvites: 1, representatives: 1 })).toBe('remind');
    expect(nextActionOf({ ...base, representatives: 1, goalsAnswered: 3 })).toBe('remind');
    expect(nextActionOf({ ...base, goalsAnswered: 4 })).toBe('complete');
    // A campaign without goals has nothing to answer, so nobody is ever complete.
    expect(nextActionOf({ ...base, goalsTotal: 0 })).toBe('invite');
  });
});

describe('sorting the status board', () => {
  const row = (name: string, firstAskedAt: Date | null, reminders: number): PartyStatus => ({
    party: { id: name.length, slug: name.toLowerCase(), name, abbreviation: '' },
    outreach: { ...NO_OUTREACH, firstAskedAt, reminders },
    firstAsk: firstAskedAt ? { at: firstAskedAt, by: null } : null,
    ...base,
    lastChangeAt: null,
    next: 'invite',
  });
  const rows = [row('Bèta', new Date('2026-09-03T10:00:00Z'), 1), row('alfa', null, 2), row('Gamma', new Date('2026-09-01T10:00:00Z'), 1)];
  const collator = new Intl.Collator('nl', { sensitivity: 'base' });
  const names = (sorted: PartyStatus[]) => sorted.map((r) => r.party.name);

  it('by name, either way, as the language sorts', () => {
    expect(names(sortStatusBoard(rows, 'party', 'asc', collator))).toEqual(['alfa', 'Bèta', 'Gamma']);
    expect(names(sortStatusBoard(rows, 'party', 'desc', collator))).toEqual(['Gamma', 'Bèta', 'alfa']);
  });

  it('by a moment, never-asked last whichever way; ties by name', () => {
    expect(names(sortStatusBoard(rows, 'asked', 'asc', collator))).toEqual(['Gamma', 'Bèta', 'alfa']);
    expect(names(sortStatusBoard(rows, 'asked', 'desc', collator))).toEqual(['Bèta', 'Gamma', 'alfa']);
    expect(names(sortStatusBoard(rows, 'reminders', 'desc', collator))).toEqual(['alfa', 'Bèta', 'Gamma']);
  });
});

describe('the outreach in words', () => {
  const asked = new Date('2026-09-03T10:00:00Z');
  it('a full sentence for the party page', () => {
    expect(outreachSentence('en', { firstAskedAt: asked, reminders: 2, lastRemindedAt: new Date('2026-10-01T10:00:00Z'), firstAnsweredAt: null })).toBe(
      'Asked on 3 September 2026, reminded 2 times (last on 1 October 2026); no answer yet.',
    );
    expect(outreachSentence('nl', { firstAskedAt: asked, reminders: 1, lastRemindedAt: asked, firstAnsweredAt: asked })).toBe(
      'Gevraagd op 3 september 2026, één keer herinnerd (laatst op 3 september 2026); eerste antwoord op 3 september 2026.',
    );
    expect(outreachSentence('nl', NO_OUTREACH)).toBe('Nog geen uitnodiging vastgelegd; nog geen antwoord.');
  });

  it('a few words for a cell, nothing when never asked', () => {
    expect(outreachShort('en', { ...NO_OUTREACH, firstAskedAt: asked, reminders: 2 })).toBe('asked 3 Sept, reminded 2×');
    expect(outreachShort('nl', { ...NO_OUTREACH, firstAskedAt: asked })).toBe('gevraagd 3 sep');
    expect(outreachShort('nl', NO_OUTREACH)).toBe('');
  });
});
