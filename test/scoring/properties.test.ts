import fc from 'fast-check';
import {
  allocateLeadScores,
  computeChurnRisk,
  computeFollowUpStatus,
  computeHealth,
  computeHeuristicConversion,
  computeOverdueDays,
  computePriority,
  computeRecommendation,
  computeVelocity,
  pickTopFactors,
  CHURN_RISKS,
  DEFAULT_SCORING_CONFIG,
  FOLLOW_UP_STATUSES,
  FOLLOW_UP_TODAY,
  LEAD_SOURCES,
  LEAD_STATUSES,
  MS_PER_DAY,
  priorityParams,
  RECOMMENDATION_RULES,
  recommendationInputsAt,
  renderRecommendationJson,
  scoreLeads,
} from '../../src/scoring';
import { makeBatch, NOW, type LeadRow } from '../helpers/leadFixture';

// Dates anywhere from long ago to the far future, or missing; counts from 0 to absurd.
const date = fc.oneof(
  fc.constant(NaN),
  fc.double({ min: NOW - 3650 * MS_PER_DAY, max: NOW + 3650 * MS_PER_DAY, noNaN: true }),
  fc.constantFrom(0, -8.64e15, 8.64e15),
);
const count = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constantFrom(0, 2_147_483_647));
const maybe = fc.oneof(fc.constant(NaN), fc.double({ min: -1e12, max: 1e15, noNaN: true }));

const leadRow: fc.Arbitrary<LeadRow> = fc.record({
  status: fc.integer({ min: 0, max: LEAD_STATUSES.length - 1 }),
  source: fc.integer({ min: 0, max: LEAD_SOURCES.length - 1 }),
  createdAt: date,
  statusChangedAt: date,
  lastContactAt: date,
  lastFollowUpCompletedAt: date,
  lastVisitAt: date,
  nextFollowUpDueAt: date,
  pendingFollowUps: count,
  overdueFollowUps: count,
  completedFollowUps: count,
  completedFollowUps7d: count,
  completedFollowUps30d: count,
  visits: count,
  visits7d: count,
  visits30d: count,
  estimatedValue: maybe,
  prevHealth: fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: 100 })),
  prevActivity7d: fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: 1000 })),
});

const score1 = (row: LeadRow) => {
  const batch = makeBatch([row]);
  const s = scoreLeads(batch, NOW, DEFAULT_SCORING_CONFIG);
  return { batch, s, at: <K extends keyof typeof s>(k: K) => s[k][0] as number };
};

describe('scoring properties', () => {
  it('keeps every metric in its range or enum for any input', () => {
    const pp = priorityParams(DEFAULT_SCORING_CONFIG);
    fc.assert(
      fc.property(fc.array(leadRow, { minLength: 1, maxLength: 20 }), (rows) => {
        const batch = makeBatch(rows);
        const s = scoreLeads(batch, NOW, DEFAULT_SCORING_CONFIG);
        for (let i = 0; i < rows.length; i++) {
          for (const v of [s.health[i]!, s.velocity[i]!, s.priority[i]!]) {
            expect(Number.isInteger(v) && v >= 0 && v <= 100).toBe(true);
          }
          const c = s.conversion[i]!;
          expect(c >= 0 && c <= 100 && Math.round(c * 100) / 100 === c).toBe(true);
          expect(s.churnRisk[i]!).toBeLessThan(CHURN_RISKS.length);
          expect(s.followUpStatus[i]!).toBeLessThan(FOLLOW_UP_STATUSES.length);
          expect(Number.isInteger(s.overdueDays[i]) && s.overdueDays[i]! >= 0).toBe(true);
          expect(s.recommendation[i]!).toBeLessThan(RECOMMENDATION_RULES.length);
          const rec = JSON.parse(
            renderRecommendationJson(recommendationInputsAt(batch, s, i), pp, DEFAULT_SCORING_CONFIG),
          ) as {
            factors: { points: number }[];
          };
          expect(rec.factors.filter((f) => f.points > 0).length).toBeLessThanOrEqual(3);
          expect(rec.factors.filter((f) => f.points < 0).length).toBeLessThanOrEqual(3);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never lowers health when the last contact is more recent', () => {
    fc.assert(
      fc.property(
        leadRow,
        fc.double({ min: 0, max: 3650, noNaN: true }),
        fc.double({ min: 0, max: 3650, noNaN: true }),
        (row, a, b) => {
          const [recent, older] = a < b ? [a, b] : [b, a];
          const hRecent = score1({ ...row, lastContactAt: NOW - recent * MS_PER_DAY }).at('health');
          const hOlder = score1({ ...row, lastContactAt: NOW - older * MS_PER_DAY }).at('health');
          expect(hRecent).toBeGreaterThanOrEqual(hOlder);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never raises health nor lowers churn risk when follow-ups are more overdue', () => {
    fc.assert(
      fc.property(
        leadRow,
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        (row, a, b) => {
          const [less, more] = a < b ? [a, b] : [b, a];
          const x = score1({ ...row, nextFollowUpDueAt: NOW - less * MS_PER_DAY });
          const y = score1({ ...row, nextFollowUpDueAt: NOW - more * MS_PER_DAY });
          expect(y.at('overdueDays')).toBeGreaterThanOrEqual(x.at('overdueDays'));
          expect(y.at('health')).toBeLessThanOrEqual(x.at('health'));
          expect(y.at('churnRisk')).toBeGreaterThanOrEqual(x.at('churnRisk'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('marks a pending follow-up due at any hour today as today', () => {
    fc.assert(
      fc.property(leadRow, fc.integer({ min: 0, max: MS_PER_DAY - 1 }), (row, ms) => {
        const dayStart = Math.floor(NOW / MS_PER_DAY) * MS_PER_DAY;
        expect(score1({ ...row, nextFollowUpDueAt: dayStart + ms }).at('followUpStatus')).toBe(
          FOLLOW_UP_TODAY,
        );
      }),
    );
  });

  it('never lowers velocity when this week has more activity, and reads 50 when a lead keeps its pace', () => {
    fc.assert(
      fc.property(leadRow, fc.integer({ min: 0, max: 30 }), (raw, extra) => {
        const cap = (v: number | undefined) => Math.min(v ?? 0, 1_000_000);
        const row = {
          ...raw,
          visits: cap(raw.visits),
          visits7d: cap(raw.visits7d),
          visits30d: cap(raw.visits30d),
        };
        const base = score1(row);
        const more = score1({
          ...row,
          visits7d: row.visits7d + extra,
          visits30d: row.visits30d + extra,
          visits: row.visits + extra,
        });
        // health can only rise with more engagement, and the health trend only adds to velocity
        expect(more.at('velocity')).toBeGreaterThanOrEqual(base.at('velocity'));
      }),
      { numRuns: 200 },
    );
    // no activity before and none now, or 23/7 a week before and this week: steady
    expect(score1({ visits7d: 0, visits30d: 0 }).at('velocity')).toBe(50);
    expect(score1({ visits7d: 7, visits30d: 30 }).at('velocity')).toBe(50);
  });

  it('never lowers priority when follow-ups are more overdue, all else equal', () => {
    fc.assert(
      fc.property(
        leadRow,
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        (row, a, b) => {
          const [less, more] = a < b ? [a, b] : [b, a];
          // fix the conversion so that only urgency moves
          const fixed = { conversion: Float64Array.of(30) };
          const x = scoreLeads(
            makeBatch([{ ...row, nextFollowUpDueAt: NOW - less * MS_PER_DAY }]),
            NOW,
            DEFAULT_SCORING_CONFIG,
            fixed,
          );
          const y = scoreLeads(
            makeBatch([{ ...row, nextFollowUpDueAt: NOW - more * MS_PER_DAY }]),
            NOW,
            DEFAULT_SCORING_CONFIG,
            fixed,
          );
          expect(y.priority[0]!).toBeGreaterThanOrEqual(x.priority[0]!);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('scoreLeads (fused pass)', () => {
  it('equals the per-metric functions run one after another', () => {
    fc.assert(
      fc.property(fc.array(leadRow, { minLength: 1, maxLength: 30 }), (rows) => {
        const batch = makeBatch(rows);
        const n = rows.length;
        const fused = scoreLeads(batch, NOW, DEFAULT_SCORING_CONFIG);
        const s = allocateLeadScores(batch.leadId);
        computeFollowUpStatus(batch, NOW, s.followUpStatus);
        computeOverdueDays(batch, NOW, s.overdueDays);
        computeHealth(batch, s.overdueDays, NOW, DEFAULT_SCORING_CONFIG, s.health);
        computeVelocity(batch, s.health, DEFAULT_SCORING_CONFIG, s.velocity);
        computeHeuristicConversion(
          batch,
          s.health,
          s.velocity,
          s.overdueDays,
          DEFAULT_SCORING_CONFIG,
          s.conversion,
        );
        computeChurnRisk(s, DEFAULT_SCORING_CONFIG);
        computePriority(batch, s, DEFAULT_SCORING_CONFIG);
        computeRecommendation(batch, s, DEFAULT_SCORING_CONFIG);
        expect(fused).toStrictEqual(s);
        expect(fused.leadId.length).toBe(n);
      }),
      { numRuns: 200 },
    );
  });
});

describe('pickTopFactors', () => {
  it('orders the three largest positive then the three most negative contributions, skipping zeros', () => {
    const order = new Int8Array(6);
    const n = pickTopFactors(Float64Array.of(5, -1, 3, 0, 7, -4), order);
    expect(n).toBe(5);
    expect(Array.from(order.subarray(0, n))).toStrictEqual([4, 0, 2, 5, 1]);
    expect(pickTopFactors(Float64Array.of(1, 2, 3, 4, -5, -6), order)).toBe(5);
    expect(Array.from(order.subarray(0, 5))).toStrictEqual([3, 2, 1, 5, 4]);
    expect(pickTopFactors(new Float64Array(6), order)).toBe(0);
  });
});
