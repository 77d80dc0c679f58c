import {
  allocateLeadFeatures,
  allocateLeadScores,
  DEFAULT_SCORING_CONFIG,
  explainConversion,
  FOLLOW_UP_SCHEDULED,
  LEAD_SOURCES,
  priorityParams,
  scoreWithModel,
  type ConversionModel,
} from '../../../src/scoring';

// A hand-made model: log1p(overdue days) (mean 0, sd 1) and a one-hot source with two levels (share 0.5 each).
const model = {
  version: 'hand',
  spec: {
    columns: [
      {
        kind: 'numeric',
        name: 'overdueDays',
        label: '',
        from: { base: 'overdueDays' },
        fill: 0,
        mean: 0,
        std: 1,
      },
      {
        kind: 'level',
        name: 'source=Referral',
        label: '',
        from: { source: true },
        level: 'Referral',
        mean: 0.5,
        std: 0.5,
      },
      {
        kind: 'level',
        name: 'source=Email',
        label: '',
        from: { source: true },
        level: 'Email',
        mean: 0.5,
        std: 0.5,
      },
    ],
    notes: [],
  },
  coef: [0, -1, 0.4, -0.2],
  platt: null,
} as unknown as ConversionModel;

// Plain re-implementation of the documented formula for a lead at health 50, velocity 50, nothing overdue,
// follow-up scheduled, no estimated value: U = 0.1 + 0.9·35/100/100·50, E = (p·0.75)^0.35, then the scale's knots.
const U = 0.1 + ((0.9 * 35) / 100 / 100) * 50;
const raw = (pct: number) => 100 * Math.pow((pct / 100) * 0.75, 0.35) * U;
const scale = (r: number) =>
  r <= 14 ? (r * 25) / 14 : r <= 20 ? 25 + ((r - 14) * 25) / 6 : 50 + ((r - 20) * 25) / 14;

function lead(source: string) {
  const f = allocateLeadFeatures(1);
  f.leadId[0] = 1;
  f.source[0] = LEAD_SOURCES.indexOf(source as (typeof LEAD_SOURCES)[number]);
  const input = { features: f, asOf: Float64Array.of(0), extras: {} };
  const design = scoreWithModel(model, input);
  const s = allocateLeadScores(f.leadId);
  s.health[0] = 50;
  s.velocity[0] = 50;
  s.followUpStatus[0] = FOLLOW_UP_SCHEDULED;
  s.conversion[0] = design.probability[0]!;
  return explainConversion(
    model,
    input,
    design,
    s,
    f.estimatedValue,
    priorityParams(DEFAULT_SCORING_CONFIG),
  )[0]!;
}

describe('explainConversion', () => {
  it('names only the lead’s own source level, with its whole one-hot push as AIPriority points', () => {
    // Email lead: z = 0.4·(0 − 0.5)/0.5 − 0.2·(1 − 0.5)/0.5 = −0.6 → 35.43 %; without the source field z = 0 → 50 %
    const expected = Math.round(10 * (scale(raw(35.43)) - scale(raw(50)))) / 10;
    expect(expected).toBe(-8.6); // by hand: 34.13 − 42.78 ≈ −8.65
    expect(lead('Email')).toStrictEqual([{ factor: 'source', label: 'email source', points: expected }]);
  });

  it('shows a push up for a referral lead and leaves out a field at the average (nothing overdue, push 0)', () => {
    // Referral lead: z = 0.4 + 0.2 = 0.6 → 64.57 %
    const expected = Math.round(10 * (scale(raw(64.57)) - scale(raw(50)))) / 10;
    expect(lead('Referral')).toStrictEqual([
      { factor: 'source', label: 'referral source', points: expected },
    ]);
    expect(expected).toBe(7.1); // by hand: raw 19.978 → 49.910, minus 42.783 at 50 % → 7.13
  });
});
