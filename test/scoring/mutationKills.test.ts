import { DEFAULT_SCORING_CONFIG as C, priorityOf, priorityParams } from '../../src/scoring';

/**
 * Reference values for mistakes that mutation testing (docs/testing.md) found no test pinned, each worked by hand
 * from the documented formula with the arithmetic beside it.
 */
describe('priorityOf with a deal value (the value table, not valueFactorOf)', () => {
  const pp = priorityParams(C);
  // the lead of the guide-like case in tiers.test.ts: health 40, 3 days overdue, velocity 45, follow-up overdue
  // (due urgency 1), conversion 30 %. Urgency U = 0.1 + 0.9·(0.35·(100−40)/100 + 0.35·(1 − 0.5^(3/7))
  // + 0.15·(50−45)/50 + 0.15·1) = 0.1 + 0.9·(0.21 + 0.35·0.257003 + 0.015 + 0.15) = 0.518456
  it('a 500 deal: valueFactor 0.5 + 0.5·ln 501 / ln 50,001 = 0.5 + 0.5·0.574558 = 0.787279 → raw 31.286', () => {
    // 100 · (0.3 · 0.787279)^0.35 · 0.518456 = 100 · 0.603445 · 0.518456 = 31.2859
    expect(priorityOf(30, 500, 40, 3, 45, 1, pp)).toBeCloseTo(31.28595, 4);
  });

  it('a deal at the 50,000 reference or above counts in full: valueFactor 1 → raw 34.018', () => {
    // 100 · 0.3^0.35 · 0.518456 = 100 · 0.656134 · 0.518456 = 34.0176
    expect(priorityOf(30, 50_000, 40, 3, 45, 1, pp)).toBeCloseTo(34.01765, 4);
    expect(priorityOf(30, 5_000_000, 40, 3, 45, 1, pp)).toBeCloseTo(34.01765, 4);
  });

  it('no value counts as missingValueFactor 0.5 on the inner term: valueFactor 0.75 → raw 30.759', () => {
    // 100 · (0.3 · 0.75)^0.35 · 0.518456 = 100 · 0.593286 · 0.518456 = 30.7592
    expect(priorityOf(30, NaN, 40, 3, 45, 1, pp)).toBeCloseTo(30.75925, 4);
    expect(priorityOf(30, 0, 40, 3, 45, 1, pp)).toBeCloseTo(30.75925, 4);
  });
});
