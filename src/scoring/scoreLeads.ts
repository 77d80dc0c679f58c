import { InputError } from '../errors';
import { computeChurnRisk } from './computeChurnRisk';
import { applyConversionColumn, computeHeuristicConversion } from './computeConversion';
import { computeFollowUpStatus } from './computeFollowUpStatus';
import { computeHealth } from './computeHealth';
import { computeOverdueDays } from './computeOverdueDays';
import { computePriority, priorityParams, type PriorityParams } from './computePriority';
import { computeRecommendation } from './computeRecommendation';
import { computeVelocity } from './computeVelocity';
import { assertLeadFeatureBatch, type LeadFeatureBatch } from './leadFeatures';
import { allocateLeadScores, type LeadScoreBatch } from './leadScores';
import { renderRecommendationJson, type RecommendationInputs } from './renderRecommendation';
import type { ScoringConfig } from './scoringConfig';

export interface ScoreLeadsOptions {
  /**
   * Per-lead ConversionProbability (0–100) from a learned model, aligned with the batch. Without it the documented
   * heuristic is used.
   */
  readonly conversion?: Float64Array;
  /** Preallocated outputs to reuse across chunks (must share `leadId` with the batch). */
  readonly out?: LeadScoreBatch;
}

/**
 * One scoring pass over a batch: validates it once, then computes the metrics in dependency order (follow-up
 * status, overdue days, health, velocity, conversion, churn risk, priority, recommendation) into typed arrays.
 *
 * Complexity: O(n). Throws `InputError` for a malformed batch or a non-finite `now`.
 *
 * @example scoreLeads(batch, Date.UTC(2025, 9, 14), DEFAULT_SCORING_CONFIG).health // => Uint8Array [...]
 */
export function scoreLeads(
  batch: LeadFeatureBatch,
  now: number,
  config: ScoringConfig,
  options: ScoreLeadsOptions = {},
): LeadScoreBatch {
  if (!Number.isFinite(now))
    throw new InputError(`Run time "now" must be a finite epoch-ms number, got ${now}`);
  assertLeadFeatureBatch(batch);
  const out = options.out ?? allocateLeadScores(batch.leadId);
  if (out.leadId.length !== batch.leadId.length) {
    throw new InputError(
      `Output batch has ${out.leadId.length} rows but the input has ${batch.leadId.length}`,
    );
  }
  computeFollowUpStatus(batch, now, out.followUpStatus);
  computeOverdueDays(batch, now, out.overdueDays);
  computeHealth(batch, now, config, out.health);
  computeVelocity(batch, out.health, config, out.velocity);
  if (options.conversion) applyConversionColumn(options.conversion, out.conversion);
  else computeHeuristicConversion(batch, out.health, out.velocity, now, config, out.conversion);
  computeChurnRisk(out, config);
  computePriority(batch, out, config);
  computeRecommendation(out, config);
  return out;
}

/** The values `renderRecommendationJson` needs for lead `i` of a scored batch. */
export function recommendationInputsAt(
  batch: LeadFeatureBatch,
  scores: LeadScoreBatch,
  i: number,
): RecommendationInputs {
  return {
    recommendation: scores.recommendation[i]!,
    churnRisk: scores.churnRisk[i]!,
    health: scores.health[i]!,
    velocity: scores.velocity[i]!,
    conversion: scores.conversion[i]!,
    overdueDays: scores.overdueDays[i]!,
    followUpStatus: scores.followUpStatus[i]!,
    estimatedValue: batch.estimatedValue[i]!,
  };
}

/**
 * RecommendationJson for every lead of a scored batch.
 *
 * Complexity: O(n); allocates one string per lead.
 */
export function renderRecommendationsJson(
  batch: LeadFeatureBatch,
  scores: LeadScoreBatch,
  config: ScoringConfig,
  pp: PriorityParams = priorityParams(config),
): string[] {
  const n = scores.leadId.length;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++)
    out[i] = renderRecommendationJson(recommendationInputsAt(batch, scores, i), pp, config);
  return out;
}
