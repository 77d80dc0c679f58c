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
    // Both paths agreeing proves nothing on its own: the guide lead's factors, worked by hand (docs/scoring.md).
    // Conversion: z = −2.2 + 0.4 (Contacted) + 1.6·(32 − 50)/50 − 0.5·5/30 = −2.45933 → 7.88 %.
    // E = (0.0788·0.75)^0.35 = 0.37158, k = 100·E = 37.158; 1 − 0.5^(5/7) = 0.39084;
    // U = 0.1 + 0.9·(0.35·0.68 + 0.35·0.39084 + 0.15·1) = 0.57221; raw = k·U = 21.262 → S = 50 + 1.262·25/14 = 52.254.
    // Each factor c (raw points against the reference lead) → S(raw) − S(raw − c), to 0.1:
    //   follow-up overdue (due 1 vs scheduled 0): c = k·0.9·0.15 = 5.0164 → raw − c = 16.246 → S = 25 + 2.246·25/6
    //     = 34.358 → 17.9
    //   5 days overdue: c = k·0.9·0.35·0.39084 = 4.5707 → 16.691 → S = 36.215 → 16.0
    //   health 32 vs 50: c = k·0.9·0.35·18/100 = 2.1069 → 19.155 → S = 46.480 → 5.8
    //   conversion 7.88 % vs 20 %: c = 100·(0.37158 − (0.2·0.75)^0.35)·U = 100·(0.37158 − 0.51479)·0.57221 = −8.1945
    //     → 29.457 → S = 50 + 9.457·25/14 = 66.887 → −14.6
    //   velocity 50 and no deal value are the reference: 0, not shown
    expect((JSON.parse(texts[0]!) as { factors: unknown }).factors).toStrictEqual([
      { factor: 'follow_up', label: 'follow-up overdue', points: 17.9 },
      { factor: 'overdue', label: '5 days overdue', points: 16 },
      { factor: 'health', label: 'low health (32 of 100)', points: 5.8 },
      { factor: 'conversion', label: '7.88% chance to convert', points: -14.6 },
    ]);
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
