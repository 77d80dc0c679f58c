import {
  CHURN_CRITICAL,
  CHURN_HIGH,
  FOLLOW_UP_NONE,
  FOLLOW_UP_THIS_WEEK,
  FOLLOW_UP_TODAY,
  STATUS_QUALIFIED,
} from './codes';
import type { LeadFeatureBatch } from './leadFeatures';
import { BAND_B, BAND_D, bandOf } from './priorityBands';
import type { LeadScoreBatch } from './leadScores';
import {
  REC_ADVANCE,
  REC_AT_RISK,
  REC_CRITICAL_CHURN,
  REC_CRITICAL_HEALTH_OVERDUE,
  REC_DISQUALIFY,
  REC_DUE_THIS_WEEK,
  REC_DUE_TODAY,
  REC_FADING,
  REC_HOT,
  REC_LONG_OVERDUE,
  REC_NO_NEXT_STEP,
  REC_ON_TRACK,
  REC_OVERDUE,
  REC_REQUALIFY,
  REC_STALLING,
} from './recommendationRules';
import type { ScoringConfig } from './scoringConfig';

/**
 * The recommendation rule code for one lead (index into `RECOMMENDATION_RULES`). The situation picks the rule, first
 * match wins (critical health and overdue → long overdue → critical churn → overdue → due today → stalling → hot →
 * nothing scheduled → fading → due this week → on track), and the AIPriority band bounds its urgency, so the
 * recommendation never contradicts the priority (docs/scoring.md §Consistency rules):
 * - "urgent" only in bands A and B; the same situations in C and D get the "high" rule (call today, re-engage);
 * - an overdue lead in band D is triaged instead: re-qualify, or disqualify when it is long overdue and its
 *   conversion is below `disqualifyConversionBelow`;
 * - "push to close" only for Qualified and Negotiation leads; an earlier hot lead is advanced to the next stage;
 * - high or critical churn is never "on track".
 *
 * @example recommendationOf(32, 50, 7.88, 2, 5, FOLLOW_UP_OVERDUE, 2, 52, DEFAULT_SCORING_CONFIG) // => 0 (urgent call_now)
 */
export function recommendationOf(
  health: number,
  velocity: number,
  conversion: number,
  churnRisk: number,
  overdueDays: number,
  followUpStatus: number,
  status: number,
  aiPriority: number,
  config: ScoringConfig,
): number {
  const r = config.recommendation;
  const band = bandOf(aiPriority);
  const mayBeUrgent = band <= BAND_B;
  if (overdueDays > 0 && band === BAND_D)
    return overdueDays >= r.longOverdueDays && conversion < r.disqualifyConversionBelow
      ? REC_DISQUALIFY
      : REC_REQUALIFY;
  if (overdueDays > 0 && health < r.criticalHealthBelow)
    return mayBeUrgent ? REC_CRITICAL_HEALTH_OVERDUE : REC_OVERDUE;
  if (overdueDays >= r.longOverdueDays) return mayBeUrgent ? REC_LONG_OVERDUE : REC_OVERDUE;
  if (churnRisk === CHURN_CRITICAL) return mayBeUrgent ? REC_CRITICAL_CHURN : REC_AT_RISK;
  if (overdueDays > 0) return REC_OVERDUE;
  if (followUpStatus === FOLLOW_UP_TODAY) return REC_DUE_TODAY;
  if (velocity < r.stallingVelocityBelow && health < r.stallingHealthBelow) return REC_STALLING;
  if (conversion >= r.hotConversionAtLeast && health >= r.hotHealthAtLeast)
    return status >= STATUS_QUALIFIED ? REC_HOT : REC_ADVANCE;
  if (followUpStatus === FOLLOW_UP_NONE) return REC_NO_NEXT_STEP;
  if (health < config.churn.mediumHealthBelow) return REC_FADING;
  // what is left of high churn here is a stall (velocity below highVelocityBelow): never "on track"
  if (churnRisk >= CHURN_HIGH) return REC_STALLING;
  if (followUpStatus === FOLLOW_UP_THIS_WEEK) return REC_DUE_THIS_WEEK;
  return REC_ON_TRACK;
}

/**
 * Recommendation code for every lead: priority × action × reason in one small integer, so the hot path stores a
 * byte and the JSON text is rendered only where it is written or served (`renderRecommendationJson`).
 *
 * Complexity: O(n). Needs every other metric computed first, AIPriority included.
 *
 * @example computeRecommendation(batch, scores, DEFAULT_SCORING_CONFIG) // scores.recommendation[i] ∈ 0..14
 */
export function computeRecommendation(
  batch: LeadFeatureBatch,
  scores: LeadScoreBatch,
  config: ScoringConfig,
): void {
  const { health, velocity, conversion, churnRisk, overdueDays, followUpStatus, priority, recommendation } =
    scores;
  for (let i = 0; i < health.length; i++) {
    recommendation[i] = recommendationOf(
      health[i]!,
      velocity[i]!,
      conversion[i]!,
      churnRisk[i]!,
      overdueDays[i]!,
      followUpStatus[i]!,
      batch.status[i]!,
      priority[i]!,
      config,
    );
  }
}
