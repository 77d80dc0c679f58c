import { trendOf } from '../../src/scoring';

const NaN1 = Number.NaN;

describe('trendOf', () => {
  it('compares today with the latest snapshot on or before 7 days ago: +5 points is Improving', () => {
    // today 2025-10-14; 7 days ago = 2025-10-07; the 10-06 snapshot (55) is the latest on or before it
    expect(
      trendOf(
        60,
        ['2025-10-05', '2025-10-06', '2025-10-10', '2025-10-13'],
        Float64Array.of(40, 55, 58, 59),
        '2025-10-14',
      ),
    ).toStrictEqual({ trend: 'Improving', change: 5, since: '2025-10-06' });
  });

  it('calls a change of less than 5 points either way Steady, and −5 Declining', () => {
    expect(trendOf(51, ['2025-10-07'], Float64Array.of(55), '2025-10-14')).toStrictEqual({
      trend: 'Steady',
      change: -4,
      since: '2025-10-07',
    });
    expect(trendOf(50, ['2025-10-07'], Float64Array.of(55), '2025-10-14')?.trend).toBe('Declining');
  });

  it('uses the earliest snapshot before today for a lead with less than a week of history', () => {
    expect(
      trendOf(30, ['2025-10-11', '2025-10-12', '2025-10-14'], Float64Array.of(40, 20, 90), '2025-10-14'),
    ).toStrictEqual({ trend: 'Declining', change: -10, since: '2025-10-11' });
  });

  it('skips days without a value and gives null without an earlier snapshot', () => {
    expect(trendOf(30, ['2025-10-01', '2025-10-12'], Float64Array.of(NaN1, 28), '2025-10-14')).toStrictEqual({
      trend: 'Steady',
      change: 2,
      since: '2025-10-12',
    });
    expect(trendOf(30, ['2025-10-14'], Float64Array.of(10), '2025-10-14')).toBeNull();
    expect(trendOf(30, [], new Float64Array(0), '2025-10-14')).toBeNull();
  });
});
