import { describe, expect, it } from 'vitest';
import { parseAt } from '../../../src/domain/as-of.ts';
import { isMessageKey } from '../../../src/i18n/ui.ts';

const NOW = new Date('2026-06-01T12:00:00Z');

describe('?at=', () => {
  it.each([
    ['2026-05-01T12:00:00Z', '2026-05-01T12:00:00.000Z'],
    ['2026-05-01T14:00+02:00', '2026-05-01T12:00:00.000Z'],
    ['2024-02-29T00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2026-05-01T12:00:00.123456Z', '2026-05-01T12:00:00.123Z'],
  ])('reads %s', (value, iso) => {
    const parsed = parseAt(value, NOW);
    expect(parsed.ok && parsed.at?.toISOString()).toBe(iso);
  });

  it.each([
    ['2026-02-30T00:00Z'],
    ['2025-02-29T00:00Z'],
    ['2026-04-31T00:00Z'],
    ['2026-13-01T00:00Z'],
    ['2026-00-10T00:00Z'],
    ['2026-05-00T00:00Z'],
    ['2026-05-01T24:00Z'],
    ['2026-05-01T12:60Z'],
    ['2026-05-01T12:00:60Z'],
    ['2026-05-01T12:00+24:00'],
    ['2026-05-01T12:00+02:60'],
    ['gisteren'],
  ])('refuses %s as no moment of the calendar', (value) => {
    expect(parseAt(value, NOW)).toEqual({ ok: false, message: 'at.invalid' });
  });

  it.each([['0000-01-01T00:00Z'], ['0001-01-01T00:00+23:59'], ['1999-12-31T23:59Z']])('refuses %s as before the board could exist', (value) => {
    expect(parseAt(value, NOW)).toEqual({ ok: false, message: 'at.outOfRange' });
  });

  it('refuses the future', () => {
    expect(parseAt('9999-12-31T23:59Z', NOW)).toEqual({ ok: false, message: 'at.future' });
  });

  it('names each refusal with a message the site can translate', () => {
    for (const key of ['at.invalid', 'at.future', 'at.outOfRange']) expect(isMessageKey(key), key).toBe(true);
  });
});
