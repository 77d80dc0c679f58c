import { InputError } from '../errors';
import { churnRiskOf } from './computeChurnRisk';
import { applyConversionColumn, conversionParams, heuristicConversionAt } from './computeConversion';
import { followUpStatusOf } from './computeFollowUpStatus';
import { healthAt, healthParams } from './computeHealth';
import { overdueDaysOf } from './computeOverdueDays';
import {
  aiPriorityOf,
  dueUrgencyOf,
  priorityOf,
  priorityParams,
  type PriorityParams,
} from './computePriority';
import { recommendationOf } from './computeRecommendation';
import { velocityAt } from './computeVelocity';
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
  // One fused pass: each lead's columns are read once and every metric is computed from registers. The per-metric
  // functions (computeHealth, …) run the same per-lead code one metric at a time; a test holds the two equal.
  const hp = healthParams(config);
  const vp = config.velocity;
  const cp = conversionParams(config);
  const pp = priorityParams(config);
  const given = options.conversion;
  if (given) applyConversionColumn(given, out.conversion);
  const { health, velocity, conversion, churnRisk, followUpStatus, overdueDays, priority, recommendation } =
    out;
  const due = batch.nextFollowUpDueAt;
  const status = batch.status;
  const value = batch.estimatedValue;
  const n = batch.leadId.length;
  for (let i = 0; i < n; i++) {
    const d = due[i]!;
    const fus = followUpStatusOf(d, now);
    const od = overdueDaysOf(d, now);
    const h = healthAt(batch, i, od, now, hp);
    const v = velocityAt(batch, i, h, vp);
    const c = given ? conversion[i]! : heuristicConversionAt(batch, i, h, v, od, cp);
    const churn = churnRiskOf(h, od, v, config);
    const p = priorityOf(c, value[i]!, h, od, v, dueUrgencyOf(fus), pp);
    followUpStatus[i] = fus;
    overdueDays[i] = od;
    health[i] = h;
    velocity[i] = v;
    conversion[i] = c;
    churnRisk[i] = churn;
    const ai = aiPriorityOf(p);
    priority[i] = ai;
    recommendation[i] = recommendationOf(h, v, c, churn, od, fus, status[i]!, ai, config);
  }
  return out;
}

/** The values `renderRecommendationJson` needs for lead `i` of a scored batch. */
export function recommendationInputsAt(
  batch: LeadFeatureBatch,
  scores: LeadScoreBatch,
  i: number,
): RecommendationInputs {
  return {
    recommendation: scores.recommendation[i] ?? 0,
    churnRisk: scores.churnRisk[i] ?? 0,
    aiPriority: scores.priority[i] ?? 0,
    status: batch.status[i] ?? 0,
    health: scores.health[i] ?? 0,
    velocity: scores.velocity[i] ?? 0,
    conversion: scores.conversion[i] ?? 0,
    overdueDays: scores.overdueDays[i] ?? 0,
    followUpStatus: scores.followUpStatus[i] ?? 0,
    estimatedValue: batch.estimatedValue[i] ?? NaN,
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
  /** Per lead (or one for all): extra JSON members for each recommendation. */
  extra?: string | readonly string[],
): string[] {
  const n = scores.leadId.length;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const x = recommendationInputsAt(batch, scores, i);
    out[i] = renderRecommendationJson(x, pp, config, typeof extra === 'string' ? extra : extra?.[i]);
  }
  return out;
}
