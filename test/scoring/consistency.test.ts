import fc from 'fast-check';
import {
  CHURN_RISKS,
  DEFAULT_SCORING_CONFIG,
  FOLLOW_UP_STATUSES,
  LEAD_SOURCES,
  LEAD_STATUSES,
  MS_PER_DAY,
  priorityParams,
  recommendationInputsAt,
  renderRecommendation,
  scalePriority,
  scoreLeads,
} from '../../src/scoring';
import { makeBatch, NOW, type LeadRow } from '../helpers/leadFixture';

// Leads as a CRM has them: dates within two years either side of now or missing, everyday counts, a value or none.
const day = (d: number) => NOW - d * MS_PER_DAY;
const date = fc.oneof(fc.constant(NaN), fc.integer({ min: -60, max: 730 }).map(day));
const count = fc.integer({ min: 0, max: 12 });
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
  estimatedValue: fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: 500_000 })),
  prevHealth: fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: 100 })),
  prevActivity7d: fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: 20 })),
});
// a learned model's conversion can be anything in 0–100, so the rules are held for any conversion too
const conversion = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: 0, max: 10_000 }).map((c) => c / 100),
);

// The documented bands, written out here rather than imported.
const band = (p: number) => (p >= 75 ? 'A' : p >= 50 ? 'B' : p >= 25 ? 'C' : 'D');
const FOLLOW_UP_WORDS: Record<string, string> = {
  none: 'no follow-up scheduled',
  overdue: 'follow-up overdue',
  today: 'follow-up due today',
  this_week: 'follow-up due this week',
};
const pp = priorityParams(DEFAULT_SCORING_CONFIG);

function scoreOne(row: LeadRow, conv: number | undefined) {
  const batch = makeBatch([row]);
  const s = scoreLeads(
    batch,
    NOW,
    DEFAULT_SCORING_CONFIG,
    conv === undefined ? {} : { conversion: Float64Array.of(conv) },
  );
  const x = recommendationInputsAt(batch, s, 0);
  return { x, rec: renderRecommendation(x, pp, DEFAULT_SCORING_CONFIG), priority: s.priority[0]! };
}

describe('consistency of priority, recommendation and reasons (docs/scoring.md §Consistency rules)', () => {
  it('holds the rules for any lead: urgency bounded by the band, triage, late-stage close, churn never on track', () => {
    fc.assert(
      fc.property(leadRow, conversion, (row, conv) => {
        const { x, rec, priority } = scoreOne(row, conv);
        const b = band(priority);
        expect(rec.band).toBe(b);
        if (rec.priority === 'urgent') expect(['A', 'B']).toContain(b);
        if (rec.action === 'push_to_close')
          expect(['Qualified', 'Negotiation']).toContain(LEAD_STATUSES[x.status]);
        if (['high', 'critical'].includes(CHURN_RISKS[x.churnRisk]!)) expect(rec.action).not.toBe('maintain');
        if (x.overdueDays > 0 && b === 'D') expect(['re_qualify', 'disqualify']).toContain(rec.action);
        if (rec.action === 'disqualify') expect(x.conversion).toBeLessThan(5);
      }),
      { numRuns: 1000 },
    );
  });

  it('never names a level or condition the lead does not have, and uses no model jargon', () => {
    fc.assert(
      fc.property(leadRow, conversion, (row, conv) => {
        const { x, rec } = scoreOne(row, conv);
        for (const f of rec.factors) {
          expect(f.points).not.toBe(0);
          expect(f.label).not.toMatch(/\(log\)|=|coef|odds/i);
          switch (f.factor) {
            case 'overdue':
              expect(x.overdueDays).toBeGreaterThan(0);
              expect(f.label).toBe(`${x.overdueDays} day${x.overdueDays === 1 ? '' : 's'} overdue`);
              break;
            case 'velocity':
              expect(x.velocity).toBeLessThan(50);
              expect(f.label).toBe(`activity below its usual pace (${x.velocity} of 100)`);
              break;
            case 'follow_up':
              expect(f.label).toBe(FOLLOW_UP_WORDS[FOLLOW_UP_STATUSES[x.followUpStatus]!]);
              break;
            case 'health':
              expect(f.label).toBe(`${x.health < 50 ? 'low' : 'good'} health (${x.health} of 100)`);
              break;
            case 'conversion':
              expect(f.label).toBe(`${x.conversion}% chance to convert`);
              break;
            case 'value':
              expect(f.label).toBe(
                x.estimatedValue > 0 ? `deal value ${Math.round(x.estimatedValue)}` : 'no deal value set',
              );
              break;
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('gives a lead the same AIPriority alone or among any other leads (absolute, not a rank)', () => {
    fc.assert(
      fc.property(leadRow, fc.array(leadRow, { maxLength: 20 }), (row, others) => {
        const alone = scoreLeads(makeBatch([row]), NOW, DEFAULT_SCORING_CONFIG).priority[0];
        const among = scoreLeads(makeBatch([...others, row]), NOW, DEFAULT_SCORING_CONFIG).priority[
          others.length
        ];
        expect(among).toBe(alone);
      }),
      { numRuns: 300 },
    );
  });
});

describe('scalePriority', () => {
  it('maps raw priority through the documented knots (0→0, 14→25, 20→50, 34→75, 60→95, 100→100)', () => {
    // by hand: 7 → 12.5; 17 → 25 + 3·25/6 = 37.5; 27 → 50 + 7·25/14 = 62.5; 47 → 75 + 13·20/26 = 85; 80 → 97.5
    const cases: [number, number][] = [
      [NaN, 0],
      [-3, 0],
      [0, 0],
      [7, 12.5],
      [14, 25],
      [17, 37.5],
      [20, 50],
      [27, 62.5],
      [34, 75],
      [47, 85],
      [60, 95],
      [80, 97.5],
      [100, 100],
      [250, 100],
    ];
    for (const [raw, expected] of cases) expect(scalePriority(raw)).toBeCloseTo(expected, 10);
  });

  it('is increasing, so every monotonicity of the raw formula holds for AIPriority', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 120, noNaN: true }),
        fc.double({ min: 0, max: 120, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(scalePriority(hi)).toBeGreaterThanOrEqual(scalePriority(lo));
        },
      ),
    );
  });
});
