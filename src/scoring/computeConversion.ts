import { InputError } from '../errors';
import { LEAD_SOURCES } from './codes';
import type { LeadFeatureBatch } from './leadFeatures';
import { LN_1P, logistic, SMALL_INT_LIMIT } from './lookupTables';
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
 * Complexity: O(n); the logistic comes from a table (`lookupTables.ts`). Needs health, velocity and overdueDays first.
 *
 * @example
 * // a Qualified lead with health 80, velocity 60, 6 touches, nothing overdue
 * computeHeuristicConversion(batch, health, velocity, overdueDays, DEFAULT_SCORING_CONFIG, out) // out[0] => 65.95
 */
export function computeHeuristicConversion(
  batch: LeadFeatureBatch,
  health: Uint8Array,
  velocity: Uint8Array,
  overdueDays: Int32Array,
  config: ScoringConfig,
  out: Float64Array,
): void {
  const cp = conversionParams(config);
  for (let i = 0; i < out.length; i++)
    out[i] = heuristicConversionAt(batch, i, health[i]!, velocity[i]!, overdueDays[i]!, cp);
}

/** Constants of the heuristic, derived once per run from the config. */
export interface ConversionParams {
  readonly intercept: number;
  readonly statusWeight: Float64Array;
  readonly sourceWeight: Float64Array;
  readonly hw: number;
  readonly vw: number;
  readonly ew: number;
  readonly ow: number;
}

export function conversionParams(config: ScoringConfig): ConversionParams {
  const c = config.conversion;
  const sw = c.statusWeights;
  const sourceWeight = new Float64Array(LEAD_SOURCES.length);
  sourceWeight[REFERRAL] = c.referralBonus;
  return {
    intercept: c.intercept,
    statusWeight: Float64Array.of(sw.unknown, sw.New, sw.Contacted, sw.Qualified, sw.Negotiation),
    sourceWeight,
    hw: c.healthWeight / 50,
    vw: c.velocityWeight / 50,
    ew: c.engagementWeight,
    ow: c.overdueWeight / 30,
  };
}

/** Heuristic ConversionProbability of lead `i` (see `computeHeuristicConversion`). */
export function heuristicConversionAt(
  b: LeadFeatureBatch,
  i: number,
  health: number,
  velocity: number,
  overdueDays: number,
  cp: ConversionParams,
): number {
  const touches = b.completedFollowUps[i]! + b.visits[i]!;
  const z =
    cp.intercept +
    cp.statusWeight[b.status[i]!]! +
    cp.hw * (health - 50) +
    cp.vw * (velocity - 50) +
    cp.ew * (touches < SMALL_INT_LIMIT ? LN_1P[touches]! : Math.log1p(touches)) +
    cp.ow * (overdueDays < 60 ? overdueDays : 60) +
    cp.sourceWeight[b.source[i]!]!;
  return Math.round(10_000 * logistic(z)) / 100;
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
