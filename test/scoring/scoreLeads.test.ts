import {
  allocateLeadFeatures,
  CHURN_HIGH,
  DEFAULT_SCORING_CONFIG,
  FOLLOW_UP_OVERDUE,
  priorityParams,
  recommendationInputsAt,
  renderRecommendation,
  renderRecommendationJson,
  renderRecommendationsJson,
  scoreLeads,
} from '../../src/scoring/index';
import { InputError } from '../../src/errors';
import { daysAgo, healthyLead, makeBatch, NOW, type LeadRow } from '../helpers/leadFixture';

// The guide's example lead: health 32, five days overdue.
const guideLead: LeadRow = {
  status: 2,
  createdAt: daysAgo(60),
  statusChangedAt: daysAgo(35),
  lastContactAt: daysAgo(24),
  nextFollowUpDueAt: daysAgo(5),
  pendingFollowUps: 2,
  overdueFollowUps: 2,
};

describe('scoreLeads', () => {
  it('reproduces the guide example recommendation exactly', () => {
    const batch = makeBatch([guideLead]);
    const scores = scoreLeads(batch, NOW, DEFAULT_SCORING_CONFIG);
    expect(scores.health[0]).toBe(32);
    expect(scores.overdueDays[0]).toBe(5);
    expect(scores.followUpStatus[0]).toBe(FOLLOW_UP_OVERDUE);
    expect(scores.churnRisk[0]).toBe(CHURN_HIGH);
    // raw priority 21.26 (docs/scoring.md worked example) → 50 + 1.26·25/14 = 52.25 → 52, band B: urgent is allowed
    expect(scores.priority[0]).toBe(52);
    const rec = renderRecommendation(
      recommendationInputsAt(batch, scores, 0),
      priorityParams(DEFAULT_SCORING_CONFIG),
      DEFAULT_SCORING_CONFIG,
    );
    expect({
      priority: rec.priority,
      action: rec.action,
      message: rec.message,
      reasoning: rec.reasoning,
    }).toStrictEqual({
      priority: 'urgent',
      action: 'call_now',
      message: '🔴 URGENT: Call immediately! Lead health critical (32) and 5 days overdue.',
      reasoning: 'High churn risk - immediate action required',
    });
    expect(rec.band).toBe('B');
  });

  it('renders JSON text that parses to the same object as renderRecommendation', () => {
    const batch = makeBatch([guideLead, healthyLead, {}, { ...healthyLead, nextFollowUpDueAt: NaN }]);
    const scores = scoreLeads(batch, NOW, DEFAULT_SCORING_CONFIG);
    const pp = priorityParams(DEFAULT_SCORING_CONFIG);
    const texts = renderRecommendationsJson(batch, scores, DEFAULT_SCORING_CONFIG);
    texts.forEach((text, i) => {
      const x = recommendationInputsAt(batch, scores, i);
      expect(JSON.parse(text)).toStrictEqual(renderRecommendation(x, pp, DEFAULT_SCORING_CONFIG));
      expect(text).toBe(renderRecommendationJson(x, pp, DEFAULT_SCORING_CONFIG));
    });
  });

  it('explains the guide lead: overdue, the overdue follow-up and low health push its priority up, low conversion pulls it down', () => {
    const batch = makeBatch([guideLead]);
    const scores = scoreLeads(batch, NOW, DEFAULT_SCORING_CONFIG);
    const rec = renderRecommendation(
      recommendationInputsAt(batch, scores, 0),
      priorityParams(DEFAULT_SCORING_CONFIG),
      DEFAULT_SCORING_CONFIG,
    );
    const up = rec.factors.filter((f) => f.points > 0).map((f) => f.factor);
    const down = rec.factors.filter((f) => f.points < 0).map((f) => f.factor);
    expect(up.sort()).toStrictEqual(['follow_up', 'health', 'overdue']);
    // a 'Contacted' lead at health 32 is far less likely to convert than the reference lead
    expect(down).toStrictEqual(['conversion']);
    expect(rec.factors.find((f) => f.factor === 'overdue')?.label).toBe('5 days overdue');
  });

  it('scores a healthy lead as low churn risk with a steady-or-rising velocity', () => {
    const scores = scoreLeads(makeBatch([healthyLead]), NOW, DEFAULT_SCORING_CONFIG);
    expect(scores.churnRisk[0]).toBe(0);
    expect(scores.velocity[0]).toBeGreaterThanOrEqual(50);
    expect(scores.health[0]).toBeGreaterThanOrEqual(70);
  });

  it('handles an empty batch', () => {
    const scores = scoreLeads(allocateLeadFeatures(0), NOW, DEFAULT_SCORING_CONFIG);
    expect(scores.health).toStrictEqual(new Uint8Array(0));
    expect(renderRecommendationsJson(allocateLeadFeatures(0), scores, DEFAULT_SCORING_CONFIG)).toStrictEqual(
      [],
    );
  });

  it('uses a given conversion column instead of the heuristic, rounded to two decimals', () => {
    const batch = makeBatch([healthyLead, guideLead]);
    const scores = scoreLeads(batch, NOW, DEFAULT_SCORING_CONFIG, {
      conversion: Float64Array.of(12.345, 99.999),
    });
    expect(scores.conversion).toStrictEqual(Float64Array.of(12.35, 100));
  });

  it('rejects a conversion column out of range or of the wrong length with INPUT_INVALID', () => {
    const batch = makeBatch([healthyLead]);
    expect(() =>
      scoreLeads(batch, NOW, DEFAULT_SCORING_CONFIG, { conversion: Float64Array.of(101) }),
    ).toThrow('Conversion probability 101 at row 0 is outside 0–100');
    expect(() =>
      scoreLeads(batch, NOW, DEFAULT_SCORING_CONFIG, { conversion: Float64Array.of(1, 2) }),
    ).toThrow('Conversion column has 2 rows but the batch has 1');
  });

  it('rejects mismatched column lengths with a typed error naming the column', () => {
    const batch = { ...makeBatch([healthyLead, healthyLead]), visits7d: new Int32Array(1) };
    let error: unknown;
    try {
      scoreLeads(batch, NOW, DEFAULT_SCORING_CONFIG);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('INPUT_INVALID');
    expect((error as InputError).message).toBe(
      'Lead feature column "visits7d" has 1 rows but "leadId" has 2; all columns must have equal length',
    );
  });

  it('rejects a wrong column type, a negative count, an unknown code and a non-finite now', () => {
    const base = makeBatch([healthyLead]);
    expect(() =>
      scoreLeads({ ...base, createdAt: new Int32Array(1) } as never, NOW, DEFAULT_SCORING_CONFIG),
    ).toThrow('Lead feature column "createdAt" must be a Float64Array');
    expect(() => scoreLeads(makeBatch([{ visits: -1 }]), NOW, DEFAULT_SCORING_CONFIG)).toThrow(
      'Lead feature column "visits" has negative count -1 at row 0 (lead 1)',
    );
    expect(() => scoreLeads(makeBatch([{ status: 9 }]), NOW, DEFAULT_SCORING_CONFIG)).toThrow(
      'Lead feature column "status" has unknown code 9 at row 0',
    );
    expect(() => scoreLeads(base, NaN, DEFAULT_SCORING_CONFIG)).toThrow(
      'Run time "now" must be a finite epoch-ms number, got NaN',
    );
  });
});
