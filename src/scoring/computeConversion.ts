import { InputError } from '../errors';
import { LEAD_SOURCES } from './codes';
import { overdueDaysOf } from './computeOverdueDays';
import type { LeadFeatureBatch } from './leadFeatures';
import type { ScoringConfig } from './scoringConfig';

const REFERRAL = LEAD_SOURCES.indexOf('Referral');

/**
 * Heuristic ConversionProbability 0.00–100.00 for every lead, used until a model trained on the team's own
 * won/lost history is published (docs/scoring.md §Conversion):
 *   z = intercept + statusWeights[status] + healthWeight·(health−50)/50 + velocityWeight·(velocity−50)/50
 *     + engagementWeight·ln(1 + completed follow-ups + visits) + overdueWeight·min(overdueDays, 60)/30
 *     + referralBonus·[source = Referral]
 *   p = 100 / (1 + e^(−z)), rounded to two decimals.
 * Why a logistic: it is the shape the learned model will have, so the two are interchangeable column for column.
 *
 * Complexity: O(n), one `exp` and one `log1p` per lead.
 *
 * @example
 * // a Qualified lead with health 80, velocity 60, 6 touches, nothing overdue
 * computeHeuristicConversion(batch, health, velocity, now, DEFAULT_SCORING_CONFIG, out) // out[0] => 65.95
 */
export function computeHeuristicConversion(
  batch: LeadFeatureBatch,
  health: Uint8Array,
  velocity: Uint8Array,
  now: number,
  config: ScoringConfig,
  out: Float64Array,
): void {
  const c = config.conversion;
  const sw = c.statusWeights;
  const statusWeight = Float64Array.of(sw.unknown, sw.New, sw.Contacted, sw.Qualified, sw.Negotiation);
  const { status, source, completedFollowUps, visits, nextFollowUpDueAt } = batch;
  const hw = c.healthWeight / 50;
  const vw = c.velocityWeight / 50;
  const ow = c.overdueWeight / 30;
  const n = batch.leadId.length;
  for (let i = 0; i < n; i++) {
    const od = overdueDaysOf(nextFollowUpDueAt[i]!, now);
    const z =
      c.intercept +
      statusWeight[status[i]!]! +
      hw * (health[i]! - 50) +
      vw * (velocity[i]! - 50) +
      c.engagementWeight * Math.log1p(completedFollowUps[i]! + visits[i]!) +
      ow * (od < 60 ? od : 60) +
      (source[i] === REFERRAL ? c.referralBonus : 0);
    out[i] = Math.round(10_000 / (1 + Math.exp(-z))) / 100;
  }
}

/**
 * Takes a per-lead probability column from elsewhere (the learned model) after checking it: same length as the
 * batch, every value a number in [0, 100]. Values are rounded to two decimals, as the column stores them.
 */
export function applyConversionColumn(probabilities: Float64Array, out: Float64Array): void {
  if (probabilities.length !== out.length) {
    throw new InputError(
      `Conversion column has ${probabilities.length} rows but the batch has ${out.length}`,
      { column: 'conversion' },
    );
  }
  for (let i = 0; i < out.length; i++) {
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 100)) {
      throw new InputError(`Conversion probability ${p} at row ${i} is outside 0–100`, {
        column: 'conversion',
        row: i,
      });
    }
    out[i] = Math.round(p * 100) / 100;
  }
}
