import {
  CHURN_CRITICAL,
  CHURN_HIGH,
  CHURN_LOW,
  CHURN_MEDIUM,
  churnRiskOf,
  computeHeuristicConversion,
  computeVelocity,
  DEFAULT_SCORING_CONFIG as C,
  FOLLOW_UP_NONE,
  FOLLOW_UP_OVERDUE,
  FOLLOW_UP_SCHEDULED,
  FOLLOW_UP_THIS_WEEK,
  FOLLOW_UP_TODAY,
  priorityOf,
  priorityParams,
  RECOMMENDATION_RULES,
  recommendationOf,
  valueFactorOf,
} from '../../src/scoring';
import { makeBatch, type LeadRow } from '../helpers/leadFixture';

describe('computeVelocity', () => {
  const velocity = (row: LeadRow, health = 50): number => {
    const out = new Uint8Array(1);
    computeVelocity(makeBatch([row]), Uint8Array.of(health), C, out);
    return out[0]!;
  };
  it('rises when this week beats the lead’s own baseline', () => {
    // a7 = 4, baseline = 1·7/23 → z = 0.8·log2(5 / (1 + 7/23))
    const z = 0.8 * Math.log2(5 / (1 + 7 / 23));
    expect(velocity({ visits7d: 2, completedFollowUps7d: 2, visits30d: 3, completedFollowUps30d: 2 })).toBe(
      Math.round(100 / (1 + Math.exp(-z))),
    );
    expect(Math.round(100 / (1 + Math.exp(-z)))).toBe(83);
  });
  it('falls against the previous snapshot and a falling health trend', () => {
    // a7 = 0, baseline 0 → 0; snapshot: 0.5·log2(1/5); trend: 0.03·(40 − 60)
    const z = 0.5 * Math.log2(1 / 5) + 0.03 * (40 - 60);
    expect(velocity({ prevActivity7d: 4, prevHealth: 60 }, 40)).toBe(Math.round(100 / (1 + Math.exp(-z))));
    // by hand: z = 0.5·(−2.32193) − 0.6 = −1.76096; 100/(1 + e^1.76096) = 100/6.81862 = 14.67 → 15
    expect(Math.round(100 / (1 + Math.exp(-z)))).toBe(15);
  });
});

describe('computeHeuristicConversion', () => {
  it('is the documented logistic for a Qualified referral lead', () => {
    const out = new Float64Array(1);
    computeHeuristicConversion(
      makeBatch([{ status: 3, source: 2, completedFollowUps: 4, visits: 2 }]),
      Uint8Array.of(80),
      Uint8Array.of(60),
      Int32Array.of(0),
      C,
      out,
    );
    const z = -2.2 + 1.1 + 1.6 * (30 / 50) + 0.6 * (10 / 50) + 0.35 * Math.log1p(6) + 0.5;
    expect(out[0]).toBe(Math.round(10000 / (1 + Math.exp(-z))) / 100);
    // by hand: z = −2.2 + 1.1 + 0.96 + 0.12 + 0.35·1.94591 + 0.5 = 1.16107; 100/(1 + e^−1.16107) = 76.15
    expect(out[0]).toBe(76.15);
  });
});

describe('priorityOf', () => {
  const pp = priorityParams(C);
  it('is 100 · (p · valueFactor)^0.35 · urgency', () => {
    // health 40, 3 days overdue, velocity 45, follow-up overdue, conversion 30 %, no value
    const u = 0.1 + 0.9 * (0.35 * 0.6 + 0.35 * (1 - Math.pow(0.5, 3 / 7)) + 0.15 * (5 / 50) + 0.15 * 1);
    const expected = 100 * Math.pow(0.3 * 0.75, 0.35) * u;
    expect(priorityOf(30, NaN, 40, 3, 45, 1, pp)).toBeCloseTo(expected, 10);
    // by hand: 0.5^(3/7) = 0.74300, U = 0.1 + 0.9·(0.21 + 0.08995 + 0.015 + 0.15) = 0.51846;
    // E = 0.225^0.35 = 0.59329; 100·E·U = 30.759
    expect(priorityOf(30, NaN, 40, 3, 45, 1, pp)).toBeCloseTo(30.759, 3);
  });
  it('scales the deal value on a log scale between 0.5 and 1', () => {
    expect(valueFactorOf(0, pp)).toBe(0.75);
    expect(valueFactorOf(-5, pp)).toBe(0.75);
    expect(valueFactorOf(50_000, pp)).toBe(1);
    expect(valueFactorOf(5_000_000, pp)).toBe(1);
    expect(valueFactorOf(500, pp)).toBeCloseTo(0.5 + 0.5 * (Math.log1p(500) / Math.log1p(50_000)), 12);
    // by hand: 0.5 + 0.5·ln 501/ln 50,001 = 0.5 + 0.5·6.21661/10.81980 = 0.78728
    expect(valueFactorOf(500, pp)).toBeCloseTo(0.78728, 5);
  });
});

describe('churnRiskOf', () => {
  it.each([
    [29, 0, 50, CHURN_CRITICAL],
    [30, 0, 50, CHURN_HIGH],
    [90, 14, 50, CHURN_CRITICAL],
    [90, 13, 50, CHURN_HIGH],
    [49, 0, 50, CHURN_HIGH],
    [50, 0, 50, CHURN_MEDIUM],
    [90, 7, 50, CHURN_HIGH],
    [90, 6, 50, CHURN_MEDIUM],
    [90, 0, 19, CHURN_HIGH],
    [90, 0, 20, CHURN_MEDIUM],
    [90, 0, 34, CHURN_MEDIUM],
    [90, 0, 35, CHURN_LOW],
    [69, 0, 50, CHURN_MEDIUM],
    [70, 0, 50, CHURN_LOW],
    [90, 1, 50, CHURN_MEDIUM],
  ])('health %i, %i days overdue, velocity %i → tier %i', (h, od, v, tier) => {
    expect(churnRiskOf(h, od, v, C)).toBe(tier);
  });
});

describe('recommendationOf', () => {
  // health, velocity, conversion, churn, overdue days, follow-up status[, status code, AIPriority]; without the last
  // two: a Qualified lead (3) in band A (80), where the situation alone decides
  type Args = readonly [number, number, number, number, number, number, number?, number?];
  const rule = (a: Args) => {
    const code = recommendationOf(a[0], a[1], a[2], a[3], a[4], a[5], a[6] ?? 3, a[7] ?? 80, C);
    const r = RECOMMENDATION_RULES[code]!;
    return `${r.priority}/${r.action}/${r.reason}`;
  };
  it.each([
    [[39, 50, 20, CHURN_HIGH, 1, FOLLOW_UP_OVERDUE], 'urgent/call_now/critical_health_overdue'],
    [[40, 50, 20, CHURN_CRITICAL, 14, FOLLOW_UP_OVERDUE], 'urgent/call_now/long_overdue'],
    [[25, 50, 20, CHURN_CRITICAL, 0, FOLLOW_UP_SCHEDULED], 'urgent/call_now/critical_churn'],
    [[40, 50, 20, CHURN_HIGH, 13, FOLLOW_UP_OVERDUE], 'high/call_today/overdue'],
    [[80, 50, 20, CHURN_LOW, 0, FOLLOW_UP_TODAY], 'high/follow_up_today/due_today'],
    [[59, 34, 20, CHURN_MEDIUM, 0, FOLLOW_UP_SCHEDULED], 'high/re_engage/stalling'],
    [[60, 34, 60, CHURN_MEDIUM, 0, FOLLOW_UP_SCHEDULED], 'high/push_to_close/hot'],
    [[60, 50, 59.99, CHURN_MEDIUM, 0, FOLLOW_UP_NONE], 'medium/schedule_follow_up/no_next_step'],
    [[69, 50, 20, CHURN_MEDIUM, 0, FOLLOW_UP_THIS_WEEK], 'medium/check_in/fading'],
    [[70, 50, 20, CHURN_LOW, 0, FOLLOW_UP_THIS_WEEK], 'medium/prepare_follow_up/due_this_week'],
    [[70, 50, 20, CHURN_LOW, 0, FOLLOW_UP_SCHEDULED], 'low/maintain/on_track'],
    // the band bounds the urgency: the guide's situation at AIPriority 50 (B) is urgent, at 49 (C) it is not
    [[39, 50, 20, CHURN_HIGH, 1, FOLLOW_UP_OVERDUE, 2, 50], 'urgent/call_now/critical_health_overdue'],
    [[39, 50, 20, CHURN_HIGH, 1, FOLLOW_UP_OVERDUE, 2, 49], 'high/call_today/overdue'],
    [[40, 50, 20, CHURN_CRITICAL, 14, FOLLOW_UP_OVERDUE, 2, 25], 'high/call_today/overdue'],
    [[25, 50, 20, CHURN_CRITICAL, 0, FOLLOW_UP_SCHEDULED, 3, 49], 'high/re_engage/critical_churn'],
    // band D and overdue: triage; disqualify only when long overdue and conversion below 5 %
    [[40, 50, 4.99, CHURN_CRITICAL, 14, FOLLOW_UP_OVERDUE, 2, 24], 'medium/disqualify/hopeless_overdue'],
    [[40, 50, 5, CHURN_CRITICAL, 14, FOLLOW_UP_OVERDUE, 2, 24], 'medium/re_qualify/low_priority_overdue'],
    [[40, 50, 2, CHURN_HIGH, 13, FOLLOW_UP_OVERDUE, 2, 0], 'medium/re_qualify/low_priority_overdue'],
    // push to close only from Qualified on; a hot New or Contacted lead is advanced
    [[60, 34, 60, CHURN_MEDIUM, 0, FOLLOW_UP_SCHEDULED, 2, 80], 'high/advance_stage/hot_early_stage'],
    [[60, 34, 60, CHURN_MEDIUM, 0, FOLLOW_UP_SCHEDULED, 1, 80], 'high/advance_stage/hot_early_stage'],
    [[60, 34, 60, CHURN_MEDIUM, 0, FOLLOW_UP_SCHEDULED, 4, 80], 'high/push_to_close/hot'],
    // high churn from a stall (velocity 19) with a healthy lead is not "on track"
    [[70, 19, 20, CHURN_HIGH, 0, FOLLOW_UP_SCHEDULED], 'high/re_engage/stalling'],
  ] as [Args, string][])('%j → %s', (args, expected) => {
    expect(rule(args)).toBe(expected);
  });
});
