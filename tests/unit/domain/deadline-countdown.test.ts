import { describe, expect, it } from 'vitest';
import { daysUntilDeadline } from '../../../src/domain/pledging-window.ts';

describe('the days left before the pledge deadline', () => {
  const deadline = new Date('2027-03-01T22:59:00Z'); // 1 March 23:59 in Amsterdam (winter time)

  it('counts calendar days in Dutch time', () => {
    expect(daysUntilDeadline(deadline, new Date('2027-02-17T10:00:00Z'))).toBe(12);
    expect(daysUntilDeadline(deadline, new Date('2027-02-28T23:30:00Z'))).toBe(0); // 00:30 on 1 March in Amsterdam
    expect(daysUntilDeadline(deadline, new Date('2027-02-28T22:30:00Z'))).toBe(1);
  });

  it('is 0 on the last day and null once it has passed or when there is none', () => {
    expect(daysUntilDeadline(deadline, new Date('2027-03-01T22:58:00Z'))).toBe(0);
    expect(daysUntilDeadline(deadline, new Date('2027-03-01T22:59:00Z'))).toBeNull();
    expect(daysUntilDeadline(null, new Date())).toBeNull();
  });
});
