import { driftingLogit } from '../../src/synthetic/driftingTruth';

describe('driftingLogit', () => {
  it('is −0.6 with nothing done, −0.1 for a missing value, no drift for a lead closed 180 days ago', () => {
    // −0.6 (base) − 0.1 (no value) + 0 (drift at 180 days) = −0.7
    expect(
      driftingLogit({ completed: 0, visits30: 0, daysSince: 0, overdue: 0, value: null, daysAgo: 180 }),
    ).toBeCloseTo(-0.7, 12);
  });

  it('adds the saturating, threshold, middle-best and drift terms (worked by hand)', () => {
    // −0.6 + 1.4 (1 − e⁻¹) + 0.9 − 1.1 (1 − e⁻¹) − 0 + (0.7 − 0) − 0.6 − 0.3 (1 − 50/180)
    // = −0.6 + 0.8849688 + 0.9 − 0.6953326 + 0.7 − 0.6 − 0.2166667 = 0.3729695
    const z = driftingLogit({
      completed: 2,
      visits30: 2,
      daysSince: 10,
      overdue: 0,
      value: Math.exp(8.8) - 1,
      daysAgo: 50,
    });
    expect(z).toBeCloseTo(0.3729695, 6);
    // the value effect is best in the middle: one unit of log value either side costs 0.45
    const at = (v: number): number =>
      driftingLogit({ completed: 0, visits30: 0, daysSince: 0, overdue: 0, value: v, daysAgo: 180 });
    expect(at(Math.exp(9.8) - 1) - at(Math.exp(8.8) - 1)).toBeCloseTo(-0.45, 9);
    expect(at(Math.exp(7.8) - 1) - at(Math.exp(8.8) - 1)).toBeCloseTo(-0.45, 9);
  });
});
