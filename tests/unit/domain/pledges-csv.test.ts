import { describe, expect, it } from 'vitest';
import { defuseFormula } from '../../../src/domain/pledges-csv.ts';

describe('the CSV guard against formula injection', () => {
  it.each(['=SUM(1,2)', '+31 6 1234', '-1+1', '@cmd', '\tTAB', '\rCR'])('defuses %j with a leading apostrophe', (text) => {
    expect(defuseFormula(text)).toBe(`'${text}`);
  });

  it('leaves ordinary text as the party wrote it', () => {
    expect(defuseFormula('Wij zeggen ja = nee')).toBe('Wij zeggen ja = nee');
    expect(defuseFormula('')).toBe('');
  });
});
