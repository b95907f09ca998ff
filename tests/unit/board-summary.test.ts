import { describe, expect, it } from 'vitest';
import { boardSummaryText } from '../../src/i18n/board-summary.ts';

const summary = (parties: number, committedToAll: number, noResponse: number, goals = 4) => ({ parties, committedToAll, noResponse, goals });

describe('the scoreboard in one sentence', () => {
  it('says how many parties commit to every goal and how many have not responded', () => {
    expect(boardSummaryText('en', summary(15, 3, 5))).toBe('3 of 15 parties commit to all 4 goals; 5 have not responded yet.');
    expect(boardSummaryText('nl', summary(15, 3, 5))).toBe('3 van 15 partijen zeggen alle 4 doelstellingen toe; 5 reageerden nog niet.');
  });

  it('uses the singular for one, in both languages', () => {
    expect(boardSummaryText('en', summary(15, 1, 1))).toBe('1 of 15 parties commits to all 4 goals; 1 has not responded yet.');
    expect(boardSummaryText('nl', summary(15, 1, 1))).toBe('1 van 15 partijen zegt alle 4 doelstellingen toe; 1 reageerde nog niet.');
    expect(boardSummaryText('nl', summary(1, 1, 0, 1))).toBe('1 van 1 partij zegt alle 1 doelstelling toe.');
  });

  it('says zero and all plainly, and leaves out "not responded" when everyone has', () => {
    expect(boardSummaryText('en', summary(6, 0, 6))).toBe('0 of 6 parties commit to all 4 goals; 6 have not responded yet.');
    expect(boardSummaryText('nl', summary(6, 6, 0))).toBe('6 van 6 partijen zeggen alle 4 doelstellingen toe.');
    expect(boardSummaryText('en', summary(0, 0, 0))).toBe('0 of 0 parties commit to all 4 goals.');
  });

  it('says when it counts only the parties a filter shows', () => {
    expect(boardSummaryText('nl', summary(5, 2, 1), { filtered: true })).toBe(
      '2 van 5 getoonde partijen zeggen alle 4 doelstellingen toe; 1 reageerde nog niet.',
    );
    expect(boardSummaryText('en', summary(1, 0, 1), { filtered: true })).toBe('0 of 1 party shown commit to all 4 goals; 1 has not responded yet.');
  });

  it('writes large numbers the way each language does', () => {
    expect(boardSummaryText('nl', summary(1200, 1000, 0))).toBe('1.000 van 1.200 partijen zeggen alle 4 doelstellingen toe.');
    expect(boardSummaryText('en', summary(1200, 1000, 0))).toBe('1,000 of 1,200 parties commit to all 4 goals.');
  });
});
