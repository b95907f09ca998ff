/**
 * A deadline typed in Beheer, in Dutch time: real moments in the future are taken (summer and
 * winter time right), anything absurd is refused with a message for the field.
 */
import { describe, expect, it } from 'vitest';
import { localDateTimeFields, parseDeadlineInput, zonedMoment } from '../../../src/domain/pledging-window.ts';

const now = new Date('2026-12-02T10:00:00Z');
const parse = (date: string, time: string, electionDate: Date | null = null) => parseDeadlineInput({ date, time }, { now, electionDate });

describe('a deadline typed in Dutch time', () => {
  it('reads winter and summer time', () => {
    expect(parse('2027-03-01', '23:59')).toEqual({ status: 'valid', deadline: new Date('2027-03-01T22:59:00Z') });
    expect(parse('2027-07-01', '12:00')).toEqual({ status: 'valid', deadline: new Date('2027-07-01T10:00:00Z') });
    expect(parse(' 2027-07-01 ', '12:00:00')).toEqual({ status: 'valid', deadline: new Date('2027-07-01T10:00:00Z') });
    expect(parse('2027-07-01\n', '12:00').status).toBe('invalid');
  });

  it('refuses the hour the clock skips, and takes the first of the hour that comes twice', () => {
    // 28 March 2027: 02:00 becomes 03:00. 31 October 2027: 03:00 becomes 02:00 again.
    expect(parse('2027-03-28', '02:30')).toEqual({ status: 'invalid', issues: { time: 'deadline.skippedTime' } });
    expect(parse('2027-10-31', '02:30')).toEqual({ status: 'valid', deadline: new Date('2027-10-31T00:30:00Z') });
    expect(zonedMoment(2027, 3, 28, 3, 0)).toEqual(new Date('2027-03-28T01:00:00Z'));
  });

  it('refuses days the calendar does not have, absurd years and malformed times', () => {
    for (const date of [
      '2027-02-29',
      '2027-04-31',
      '2027-13-01',
      '2027-00-10',
      '0000-01-01',
      '0027-03-01',
      '1900-01-01',
      '27-03-01',
      '2027-3-1',
      '',
      'morgen',
    ]) {
      expect(parse(date, '12:00'), date).toEqual({ status: 'invalid', issues: { date: 'deadline.dateInvalid' } });
    }
    expect(parse('2028-02-29', '12:00').status).toBe('valid'); // a leap day
    for (const time of ['24:00', '12:60', '7:00', '12:00:30', 'middag', '']) {
      expect(parse('2027-03-01', time), time).toEqual({ status: 'invalid', issues: { time: 'deadline.timeInvalid' } });
    }
    expect(parse('2027-02-30', '25:00')).toEqual({ status: 'invalid', issues: { date: 'deadline.dateInvalid', time: 'deadline.timeInvalid' } });
  });

  it('refuses the past (closing has its own button), more than two years ahead, and after election day', () => {
    expect(parse('2026-12-02', '10:59')).toEqual({ status: 'invalid', issues: { date: 'deadline.past' } }); // 09:59Z
    expect(parse('2026-12-02', '11:01').status).toBe('valid');
    expect(parse('2020-01-01', '12:00')).toEqual({ status: 'invalid', issues: { date: 'deadline.past' } });
    expect(parse('2029-01-01', '12:00')).toEqual({ status: 'invalid', issues: { date: 'deadline.tooFar' } });
    const election = new Date('2027-03-17');
    expect(parse('2027-03-17', '21:00', election).status).toBe('valid');
    expect(parse('2027-03-18', '00:01', election)).toEqual({ status: 'invalid', issues: { date: 'deadline.afterElection' } });
  });

  it('shows a stored moment in the fields as Dutch time', () => {
    expect(localDateTimeFields(new Date('2027-03-01T22:59:00Z'))).toEqual({ date: '2027-03-01', time: '23:59' });
    expect(localDateTimeFields(new Date('2027-07-01T10:00:00Z'))).toEqual({ date: '2027-07-01', time: '12:00' });
  });
});
