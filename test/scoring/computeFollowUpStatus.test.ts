import {
  computeFollowUpStatus,
  computeOverdueDays,
  FOLLOW_UP_NONE,
  FOLLOW_UP_OVERDUE,
  FOLLOW_UP_SCHEDULED,
  FOLLOW_UP_THIS_WEEK,
  FOLLOW_UP_TODAY,
  followUpStatusOf,
  MAX_OVERDUE_DAYS,
  overdueDaysOf,
} from '../../src/scoring';
import { makeBatch, NOW } from '../helpers/leadFixture';

const day = (y: number, m: number, d: number, h = 0): number => Date.UTC(y, m - 1, d, h);

describe('followUpStatusOf', () => {
  it('is none without a pending follow-up', () => expect(followUpStatusOf(NaN, NOW)).toBe(FOLLOW_UP_NONE));
  it('is today for any hour of the same UTC day', () => {
    expect(followUpStatusOf(day(2025, 10, 14, 0), NOW)).toBe(FOLLOW_UP_TODAY);
    expect(followUpStatusOf(day(2025, 10, 14, 23), NOW)).toBe(FOLLOW_UP_TODAY);
  });
  it('is overdue from the previous UTC day on, even one hour before midnight', () =>
    expect(followUpStatusOf(day(2025, 10, 13, 23), NOW)).toBe(FOLLOW_UP_OVERDUE));
  it('is this_week for due dates 1 to 7 days ahead and scheduled from day 8', () => {
    expect(followUpStatusOf(day(2025, 10, 15), NOW)).toBe(FOLLOW_UP_THIS_WEEK);
    expect(followUpStatusOf(day(2025, 10, 21, 23), NOW)).toBe(FOLLOW_UP_THIS_WEEK);
    expect(followUpStatusOf(day(2025, 10, 22), NOW)).toBe(FOLLOW_UP_SCHEDULED);
  });
});

describe('overdueDaysOf', () => {
  it('counts whole UTC days since the due day', () => {
    expect(overdueDaysOf(day(2025, 10, 9, 22), NOW)).toBe(5);
    expect(overdueDaysOf(day(2025, 10, 13, 23), NOW)).toBe(1);
  });
  it('is 0 when due today, in the future or missing', () => {
    expect(overdueDaysOf(day(2025, 10, 14), NOW)).toBe(0);
    expect(overdueDaysOf(day(2026, 1, 1), NOW)).toBe(0);
    expect(overdueDaysOf(NaN, NOW)).toBe(0);
  });
  it('caps absurd due dates at 100 years', () =>
    expect(overdueDaysOf(day(1700, 1, 1), NOW)).toBe(MAX_OVERDUE_DAYS));
});

describe('computeFollowUpStatus and computeOverdueDays', () => {
  it('fill one code and one count per lead', () => {
    const batch = makeBatch([
      { nextFollowUpDueAt: NaN },
      { nextFollowUpDueAt: day(2025, 10, 9) },
      { nextFollowUpDueAt: day(2025, 10, 14, 18) },
      { nextFollowUpDueAt: day(2025, 10, 18) },
      { nextFollowUpDueAt: day(2025, 12, 1) },
    ]);
    const status = new Uint8Array(5);
    const overdue = new Int32Array(5);
    computeFollowUpStatus(batch, NOW, status);
    computeOverdueDays(batch, NOW, overdue);
    expect(status).toStrictEqual(Uint8Array.from([0, 1, 2, 3, 4]));
    expect(overdue).toStrictEqual(Int32Array.from([0, 5, 0, 0, 0]));
  });
});
