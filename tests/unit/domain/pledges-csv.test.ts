import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Goal } from '../../../src/domain/campaign.ts';
import type { Party } from '../../../src/domain/parties.ts';
import type { Pledge } from '../../../src/domain/pledges.ts';
import { CSV_COLUMNS, csvNumber, defuseFormula, toPledgesCsv, toWidePledgesCsv, wideCsvColumns } from '../../../src/domain/pledges-csv.ts';
import { buildScoreboard } from '../../../src/domain/scoreboard.ts';
import { versionKey } from '../../../src/domain/moderation.ts';

describe('the CSV guard against formula injection', () => {
  it.each(['=SUM(1,2)', '+31 6 1234', '-1+1', '@cmd', '\tTAB', '\rCR'])('defuses %j with a leading apostrophe', (text) => {
    expect(defuseFormula(text)).toBe(`'${text}`);
  });

  it('leaves ordinary text as the party wrote it', () => {
    expect(defuseFormula('Wij zeggen ja = nee')).toBe('Wij zeggen ja = nee');
    expect(defuseFormula('')).toBe('');
  });
});

const goal = (number: number, slug: string): Goal => ({
  number,
  slug,
  title: `Doel ${number}`,
  shortTitle: `Doel ${number}`,
  measures: ['x'],
  manifestoText: 'x',
  locale: 'nl',
  summary: '',
});
const GOALS = [goal(2, 'tweede'), goal(1, 'eerste')];

function party(id: number, slug: string, name: string): Party {
  const at = new Date('2026-01-01T00:00:00Z');
  return { id, slug, name, abbreviation: slug.toUpperCase(), seats: id * 3, website: null, retiredAt: null, createdAt: at, updatedAt: at };
}

function pledge(id: number, partyId: number, goalSlug: string, stance: Pledge['stance'], statement: string, updatedAt: string): Pledge {
  return {
    id,
    campaignId: 1,
    partyId,
    goalSlug,
    stance,
    statement,
    evidenceUrl: 'https://example.org/p.pdf',
    evidencePage: 7,
    version: 1,
    updatedByName: 'Rep',
    updatedByRole: 'rep',
    updatedByUserId: null,
    correctionReason: null,
    createdAt: new Date(updatedAt),
    updatedAt: new Date(updatedAt),
  };
}

// The statements a spreadsheet trips on: quotes, a line break, a semicolon, a comma, a formula.
const TRICKY = 'Wij zeggen "ja"; echt,\r\nook op regel twee.';
const board = buildScoreboard(
  GOALS,
  [party(1, 'zeewind', 'Partij "Zeewind"; Noord'), party(2, 'kompas', 'Kompas')],
  [
    pledge(11, 1, 'eerste', 'committed', TRICKY, '2026-03-01T10:00:00Z'),
    pledge(12, 1, 'tweede', 'declined', '=SUM(1,2) toch niet', '2026-03-02T10:00:00Z'),
    pledge(21, 2, 'eerste', 'partial', 'Verborgen tekst', '2026-02-01T00:00:00Z'),
  ],
  new Map([[versionKey(21, 1), 'Bevat een persoonsnaam']]),
);

const BOM = '\uFEFF';

describe('the long CSV (one row per party × goal)', () => {
  // csv-parse is strict unless told otherwise: no loose quotes, the same column count on every row.
  it('is RFC 4180 with a BOM, and parses back intact with a strict parser', () => {
    const text = toPledgesCsv(board);
    expect(text.startsWith(BOM)).toBe(true);
    expect(text.slice(1).split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    const rows = parse<Record<string, string>>(text, { bom: true, columns: true });
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({
      party_slug: 'zeewind',
      party_name: 'Partij "Zeewind"; Noord',
      goal_slug: 'eerste',
      stance: 'committed',
      statement: TRICKY,
    });
    expect(rows[1]).toMatchObject({ goal_slug: 'tweede', statement: "'=SUM(1,2) toch niet", evidence_page: '7' });
    expect(rows[2]).toMatchObject({ party_slug: 'kompas', statement: '', statement_hidden_reason: 'Bevat een persoonsnaam' });
    expect(rows[3]).toMatchObject({ party_slug: 'kompas', stance: 'none', statement: '', evidence_url: '', updated_at: '' });
  });

  it('in the semicolon dialect: ";" between fields, the semicolon in a statement quoted, a BOM', () => {
    const text = toPledgesCsv(board, 'semicolon');
    expect(text.startsWith(BOM)).toBe(true);
    expect(text.slice(1).split('\r\n')[0]).toBe(CSV_COLUMNS.join(';'));
    expect(text).toContain('"Wij zeggen ""ja""; echt,\r\nook op regel twee."');
    const rows = parse<Record<string, string>>(text, { bom: true, columns: true, delimiter: ';' });
    expect(rows[0]!.statement).toBe(TRICKY);
    expect(rows[0]!.party_name).toBe('Partij "Zeewind"; Noord');
  });
});

/** A goal's check columns in the wide file when nothing is checked. */
const unchecked = Object.fromEntries(
  [1, 2].flatMap((n) => [
    [`goal${n}_check_status`, 'unchecked'],
    ...['checked_at', 'check_reason', 'check_url', 'check_reply', 'evidence_since'].map((f) => [`goal${n}_${f}`, '']),
  ]),
);

describe('the wide CSV (one row per party)', () => {
  it('has the party columns, four per goal in goal order, and updated_at', () => {
    expect(wideCsvColumns(GOALS)).toEqual([
      'party_slug',
      'party_name',
      'party_abbreviation',
      'party_seats',
      'goals_committed',
      'goal1_stance',
      'goal1_statement',
      'goal1_statement_hidden_reason',
      'goal1_evidence_url',
      'goal2_stance',
      'goal2_statement',
      'goal2_statement_hidden_reason',
      'goal2_evidence_url',
      'updated_at',
      // Added in 1.8, after updated_at so that no column moves: each goal's check.
      ...[1, 2].flatMap((n) => ['check_status', 'checked_at', 'check_reason', 'check_url', 'check_reply', 'evidence_since'].map((f) => `goal${n}_${f}`)),
    ]);
  });

  for (const [separator, delimiter] of [
    ['comma', ','],
    ['semicolon', ';'],
  ] as const) {
    it(`${separator}: one row per party, read back intact with a strict parser`, () => {
      const text = toWidePledgesCsv(board, separator);
      expect(text.startsWith(BOM)).toBe(true);
      expect(text.endsWith('\r\n')).toBe(true);
      const rows = parse<Record<string, string>>(text, { bom: true, columns: true, delimiter });
      expect(Object.keys(rows[0]!)).toEqual(wideCsvColumns(GOALS));
      expect(rows).toEqual([
        {
          party_slug: 'zeewind',
          party_name: 'Partij "Zeewind"; Noord',
          party_abbreviation: 'ZEEWIND',
          party_seats: '3',
          goals_committed: '1',
          goal1_stance: 'committed',
          goal1_statement: TRICKY,
          goal1_statement_hidden_reason: '',
          goal1_evidence_url: 'https://example.org/p.pdf',
          goal2_stance: 'declined',
          goal2_statement: "'=SUM(1,2) toch niet",
          goal2_statement_hidden_reason: '',
          goal2_evidence_url: 'https://example.org/p.pdf',
          updated_at: '2026-03-02T10:00:00.000Z',
          ...unchecked,
        },
        {
          party_slug: 'kompas',
          party_name: 'Kompas',
          party_abbreviation: 'KOMPAS',
          party_seats: '6',
          goals_committed: '0',
          goal1_stance: 'partial',
          goal1_statement: '',
          goal1_statement_hidden_reason: 'Bevat een persoonsnaam',
          goal1_evidence_url: 'https://example.org/p.pdf',
          goal2_stance: 'none',
          goal2_statement: '',
          goal2_statement_hidden_reason: '',
          goal2_evidence_url: '',
          updated_at: '2026-02-01T00:00:00.000Z',
          ...unchecked,
        },
      ]);
    });
  }

  it('an empty board is a header line only', () => {
    const text = toWidePledgesCsv(buildScoreboard(GOALS, [], []));
    expect(text).toBe(`${BOM}${wideCsvColumns(GOALS).join(',')}\r\n`);
  });
});

describe('numbers in a CSV', () => {
  it('get a decimal comma only in the semicolon dialect, and stay bare when whole', () => {
    expect(csvNumber(2.5, 'comma')).toBe('2.5');
    expect(csvNumber(2.5, 'semicolon')).toBe('2,5');
    expect(csvNumber(150, 'semicolon')).toBe('150');
    expect(csvNumber(null, 'semicolon')).toBe('');
  });
});
