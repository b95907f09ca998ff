import { describe, expect, it } from 'vitest';
import { sinceOf, type SnapshotSummary } from '../../../src/domain/checks.ts';

const at = new Date('2030-01-01T00:00:00Z');
const copy = (over: Partial<SnapshotSummary>): SnapshotSummary => ({
  id: 1,
  url: 'https://partij.example/programma.pdf',
  finalUrl: null,
  fetchedAt: at,
  httpStatus: 200,
  contentType: 'application/pdf',
  size: 10,
  sha256: 'a'.repeat(64),
  truncated: false,
  refusal: null,
  ...over,
});

describe('what the public is told became of a checked page', () => {
  it('says changed, gone, unchanged or unreachable for a document the check kept', () => {
    expect(sinceOf(copy({}), copy({ sha256: 'b'.repeat(64) }))).toBe('changed');
    expect(sinceOf(copy({}), copy({ httpStatus: 410, sha256: 'c'.repeat(64) }))).toBe('gone');
    expect(sinceOf(copy({}), copy({}))).toBe('unchanged');
    expect(sinceOf(copy({}), copy({ sha256: null, httpStatus: null, refusal: 'timeout' }))).toBe('unreachable');
  });

  it('claims nothing when the check kept no page that was there', () => {
    expect(sinceOf(copy({ sha256: null, httpStatus: null, refusal: 'dns-failed' }), copy({}))).toBeNull();
    expect(sinceOf(copy({ httpStatus: 404 }), copy({ httpStatus: 404 }))).toBeNull();
    expect(sinceOf(null, copy({}))).toBeNull();
  });

  it('does not call a web page changed because its bytes differ (tokens, dates), but does call it gone', () => {
    const page = { contentType: 'text/html; charset=utf-8' };
    expect(sinceOf(copy(page), copy({ ...page, sha256: 'b'.repeat(64) }))).toBeNull();
    expect(sinceOf(copy(page), copy({ ...page, httpStatus: 404 }))).toBe('gone');
  });
});
