/**
 * The scored columns of one chunk: the nine metrics (ScoresLastUpdated is the run's `now`, the same for all rows;
 * RecommendationJson is rendered from `recommendation` on demand).
 */
export interface LeadScoreBatch {
  readonly leadId: Int32Array;
  /** HealthScore, 0–100. */
  readonly health: Uint8Array;
  /** VelocityScore, 0–100; 50 = steady. */
  readonly velocity: Uint8Array;
  /** AIPriority, 0–100. */
  readonly priority: Uint8Array;
  /** ConversionProbability, 0.00–100.00 (two decimals). */
  readonly conversion: Float64Array;
  /** ChurnRisk code (`CHURN_RISKS`). */
  readonly churnRisk: Uint8Array;
  /** FollowUpStatus code (`FOLLOW_UP_STATUSES`). */
  readonly followUpStatus: Uint8Array;
  /** OverdueDays, ≥ 0. */
  readonly overdueDays: Int32Array;
  /** Recommendation rule code (`RECOMMENDATION_RULES`). */
  readonly recommendation: Uint8Array;
}

/** Allocates the score columns for `n` leads, sharing `leadId` with the features. */
export function allocateLeadScores(leadId: Int32Array): LeadScoreBatch {
  const n = leadId.length;
  return {
    leadId,
    health: new Uint8Array(n),
    velocity: new Uint8Array(n),
    priority: new Uint8Array(n),
    conversion: new Float64Array(n),
    churnRisk: new Uint8Array(n),
    followUpStatus: new Uint8Array(n),
    overdueDays: new Int32Array(n),
    recommendation: new Uint8Array(n),
  };
}

/** Views of rows [start, end) of a score batch, without copying. */
export function sliceLeadScores(s: LeadScoreBatch, start: number, end: number): LeadScoreBatch {
  return {
    leadId: s.leadId.subarray(start, end),
    health: s.health.subarray(start, end),
    velocity: s.velocity.subarray(start, end),
    priority: s.priority.subarray(start, end),
    conversion: s.conversion.subarray(start, end),
    churnRisk: s.churnRisk.subarray(start, end),
    followUpStatus: s.followUpStatus.subarray(start, end),
    overdueDays: s.overdueDays.subarray(start, end),
    recommendation: s.recommendation.subarray(start, end),
  };
}
