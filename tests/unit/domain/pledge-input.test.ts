import { describe, expect, it } from 'vitest';
import { toFieldIssues } from '../../../src/domain/field-issues.ts';
import { pledgeInputSchema, STATEMENT_MAX_LENGTH } from '../../../src/domain/pledges.ts';

const valid = { stance: 'committed', statement: 'Wij doen mee.', evidenceUrl: 'https://example.org/programma', evidencePage: 12 };

function issuesOf(input: unknown) {
  const result = pledgeInputSchema.safeParse(input);
  return result.success ? {} : toFieldIssues(result.error);
}

describe('pledge input', () => {
  it('accepts a full pledge', () => {
    expect(pledgeInputSchema.parse(valid)).toEqual(valid);
  });

  it('refuses a stance outside committed, partial and declined', () => {
    expect(issuesOf({ ...valid, stance: 'none' })).toHaveProperty('stance');
    expect(issuesOf({ ...valid, stance: 'maybe' })).toHaveProperty('stance');
  });

  it(`allows ${STATEMENT_MAX_LENGTH} characters of statement and refuses one more`, () => {
    expect(issuesOf({ ...valid, statement: 'a'.repeat(STATEMENT_MAX_LENGTH) })).toEqual({});
    expect(issuesOf({ ...valid, statement: 'a'.repeat(STATEMENT_MAX_LENGTH + 1) })).toHaveProperty('statement');
  });

  it('trims the statement and keeps one newline convention', () => {
    expect(pledgeInputSchema.parse({ ...valid, statement: '  Eén\r\ntwee\rdrie  ' }).statement).toBe('Eén\ntwee\ndrie');
  });

  it('refuses a statement that is not text', () => {
    expect(issuesOf({ ...valid, statement: 42 })).toHaveProperty('statement');
  });

  it('treats an empty evidence link as no link', () => {
    expect(pledgeInputSchema.parse({ ...valid, evidenceUrl: '', evidencePage: null })).toMatchObject({ evidenceUrl: null, evidencePage: null });
  });

  it.each([['javascript:alert(1)'], ['ftp://example.org/x'], ['https://'], ['not a url'], ['https://localhost/x']])('refuses %s as evidence link', (url) => {
    expect(issuesOf({ ...valid, evidenceUrl: url })).toEqual({ evidenceUrl: 'evidenceUrl.invalid' });
  });

  it('upgrades an http:// evidence link to https:// instead of refusing it', () => {
    expect(pledgeInputSchema.parse({ ...valid, evidenceUrl: 'http://example.org/programma' }).evidenceUrl).toBe('https://example.org/programma');
    expect(pledgeInputSchema.parse({ ...valid, evidenceUrl: 'HTTP://example.org/p' }).evidenceUrl).toBe('https://example.org/p');
  });

  it('names every problem with a message key the site can translate', async () => {
    const { isMessageKey } = await import('../../../src/i18n/ui.ts');
    const bad = [
      { stance: 'x', statement: 1, evidenceUrl: 'http://x.example', evidencePage: -1 },
      { stance: 'committed', statement: 'y'.repeat(1001), evidenceUrl: 'x'.repeat(2001), evidencePage: 1.5 },
    ];
    for (const input of bad) {
      for (const key of Object.values(issuesOf(input))) expect(isMessageKey(key), key).toBe(true);
    }
  });

  it('refuses a page number below 1 or not whole', () => {
    expect(issuesOf({ ...valid, evidencePage: 0 })).toHaveProperty('evidencePage');
    expect(issuesOf({ ...valid, evidencePage: 2.5 })).toHaveProperty('evidencePage');
  });

  it('refuses unknown fields', () => {
    expect(Object.keys(issuesOf({ ...valid, version: 3 }))).not.toHaveLength(0);
  });
});
