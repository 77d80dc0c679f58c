import {
  computeHealth,
  computeHeuristicConversion,
  computeOverdueDays,
  computeVelocity,
  DEFAULT_SCORING_CONFIG,
  scoreLeads,
} from '../../src/scoring';
import { daysAgo, makeBatch, NOW, type LeadRow } from '../helpers/leadFixture';

/**
 * Reference values for lopsided leads (visits ≠ follow-ups, nothing pending, more than 30 days overdue, a long
 * baseline), each worked out by hand from the formulas in docs/scoring.md with the default weights written out, never
 * by calling the scoring code: e^x and log2 values are rounded to 5 places in the comments.
 */

/** Nothing pending, touched now, stage entered now: recency 1, discipline 1, stage 1 → 35 + 25 + 15 = 75 + engagement. */
const fresh: LeadRow = { lastContactAt: NOW, statusChangedAt: NOW, createdAt: daysAgo(3) };

function healthOf(rows: LeadRow[]): number[] {
  const batch = makeBatch(rows);
  const overdue = new Int32Array(rows.length);
  computeOverdueDays(batch, NOW, overdue);
  const out = new Uint8Array(rows.length);
  computeHealth(batch, overdue, NOW, DEFAULT_SCORING_CONFIG, out);
  return Array.from(out);
}

describe('computeHealth on lopsided engagement', () => {
  it('weighs a visit 1.5 times a completed follow-up, so 4 visits and 4 follow-ups do not score alike', () => {
    // engagement = 1 − e^(−(1.5·visits30d + completedFollowUps30d)/4)
    // 4 visits, 0 follow-ups: 1 − e^(−1.5) = 0.77687 → 75 + 25·0.77687 = 94.42 → 94
    // 0 visits, 4 follow-ups: 1 − e^(−1)   = 0.63212 → 75 + 25·0.63212 = 90.80 → 91
    // (a transposed engagement table would give 91 and 94)
    expect(
      healthOf([
        { ...fresh, visits30d: 4, completedFollowUps30d: 0 },
        { ...fresh, visits30d: 0, completedFollowUps30d: 4 },
      ]),
    ).toStrictEqual([94, 91]);
  });

  it('scores 1 visit with 5 follow-ups below 5 visits with 1 follow-up', () => {
    // 1 visit, 5 follow-ups: 1 − e^(−6.5/4) = 0.80308 → 75 + 20.08 = 95.08 → 95
    // 5 visits, 1 follow-up: 1 − e^(−8.5/4) = 0.88057 → 75 + 22.01 = 97.01 → 97
    expect(
      healthOf([
        { ...fresh, visits30d: 1, completedFollowUps30d: 5 },
        { ...fresh, visits30d: 5, completedFollowUps30d: 1 },
      ]),
    ).toStrictEqual([95, 97]);
  });

  it('uses the same formula past the 64×64 table: 70 visits and no follow-up saturate, 70 follow-ups alone too', () => {
    // 1 − e^(−105/4) and 1 − e^(−70/4) are both 1 to 7 places: 75 + 25 = 100
    expect(
      healthOf([
        { ...fresh, visits30d: 70, completedFollowUps30d: 0 },
        { ...fresh, visits30d: 0, completedFollowUps30d: 70 },
        { ...fresh, visits30d: 2, completedFollowUps30d: 65 },
      ]),
    ).toStrictEqual([100, 100, 100]);
  });
});

describe('computeHeuristicConversion past 30 days overdue', () => {
  /** A New lead (status weight 0), not a referral, no touches (ln 1 = 0), health and velocity 50 (terms 0). */
  function conversionAt(overdueDays: number[]): number[] {
    const n = overdueDays.length;
    const batch = makeBatch(overdueDays.map(() => ({ status: 1, source: 1 })));
    const out = new Float64Array(n);
    computeHeuristicConversion(
      batch,
      new Uint8Array(n).fill(50),
      new Uint8Array(n).fill(50),
      Int32Array.from(overdueDays),
      DEFAULT_SCORING_CONFIG,
      out,
    );
    return Array.from(out);
  }

  it('keeps lowering the probability until 60 days overdue, then holds', () => {
    // z = −2.2 − 0.5·min(d, 60)/30; p = 100/(1 + e^(−z)), two decimals
    //  0 d: z = −2.2            e^2.2 = 9.02501   → 9.98
    // 20 d: z = −2.53333        e^2.53333 = 12.59540 → 7.36
    // 45 d: z = −2.95           e^2.95 = 19.10595  → 4.97   (a 30-day cap would give z = −2.7 → 6.30)
    // 90 d: z = −3.2 (capped)   e^3.2 = 24.53253   → 3.92
    // 400 d: capped as 90 d     → 3.92
    expect(conversionAt([0, 20, 45, 90, 400])).toStrictEqual([9.98, 7.36, 4.97, 3.92, 3.92]);
  });

  it('reads the overdue days of a follow-up due 45 days ago the same way', () => {
    const batch = makeBatch([{ status: 1, source: 1, pendingFollowUps: 1, nextFollowUpDueAt: daysAgo(45) }]);
    const overdue = new Int32Array(1);
    computeOverdueDays(batch, NOW, overdue);
    expect(overdue[0]).toBe(45);
    const out = new Float64Array(1);
    computeHeuristicConversion(
      batch,
      Uint8Array.of(50),
      Uint8Array.of(50),
      overdue,
      DEFAULT_SCORING_CONFIG,
      out,
    );
    expect(out[0]).toBe(4.97);
  });
});

describe('computeVelocity against a 23-day baseline', () => {
  function velocityOf(rows: LeadRow[]): number[] {
    const batch = makeBatch(rows);
    const out = new Uint8Array(rows.length);
    computeVelocity(batch, new Uint8Array(rows.length).fill(50), DEFAULT_SCORING_CONFIG, out);
    return Array.from(out);
  }

  it('scales the 23 days before this week to a week (×7/23) before comparing', () => {
    // 2 this week (1 visit + 1 follow-up), 23 in the 23 days before: baseline 23·7/23 = 7 per week
    // z = 0.8·(log2(1 + 2) − log2(1 + 7)) = 0.8·(1.58496 − 3) = −1.13203; 100/(1 + e^1.13203) = 24.38 → 24
    // (unscaled, log2(1 + 23) = 4.58496: z = −2.4 → 8)
    expect(
      velocityOf([{ visits7d: 1, completedFollowUps7d: 1, visits30d: 13, completedFollowUps30d: 12 }]),
    ).toStrictEqual([24]);
  });

  it('scales a baseline beyond the tables the same way: 1,400 this week after 4,600 before is steady', () => {
    // baseline 4,600·7/23 = 1,400 per week = this week → z = 0 → 50 (unscaled: 0.8·(log2 1401 − log2 4601) → 20)
    expect(
      velocityOf([
        { visits7d: 700, completedFollowUps7d: 700, visits30d: 3000, completedFollowUps30d: 3000 },
      ]),
    ).toStrictEqual([50]);
  });

  it('reads 4 this week after nothing before as z = 0.8·log2 5', () => {
    // z = 0.8·2.32193 = 1.85754; 100/(1 + e^−1.85754) = 86.50 → 87
    expect(
      velocityOf([{ visits7d: 3, completedFollowUps7d: 1, visits30d: 3, completedFollowUps30d: 1 }]),
    ).toStrictEqual([87]);
  });
});

describe('scoreLeads (the fused pass) on a lopsided lead', () => {
  it('gives the hand-worked health, velocity, overdue days and conversion', () => {
    // 4 visits this month, none this week, no follow-up at all, nothing pending, touched now, status unknown (weight 0)
    const s = scoreLeads(makeBatch([{ ...fresh, visits: 4, visits30d: 4 }]), NOW, DEFAULT_SCORING_CONFIG);
    // health: 75 + 25·(1 − e^(−6/4)) = 94.42 → 94
    // velocity: baseline 4·7/23 = 1.21739/week; z = 0.8·(log2 1 − log2 2.21739) = 0.8·(−1.14886) = −0.91909;
    //   100/(1 + e^0.91909) = 100/3.50701 = 28.51 → 29
    // conversion: z = −2.2 + 1.6·(94 − 50)/50 + 0.6·(29 − 50)/50 + 0.35·ln(1 + 4) + 0 (not overdue) + 0 (not a referral)
    //   = −2.2 + 1.408 − 0.252 + 0.56330 = −0.48070; 100/(1 + e^0.48070) = 38.21
    expect(Array.from(s.health)).toStrictEqual([94]);
    expect(Array.from(s.velocity)).toStrictEqual([29]);
    expect(Array.from(s.overdueDays)).toStrictEqual([0]);
    expect(Array.from(s.conversion)).toStrictEqual([38.21]);
  });
});
