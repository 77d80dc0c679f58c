import { CHURN_CRITICAL, FOLLOW_UP_NONE, FOLLOW_UP_THIS_WEEK, FOLLOW_UP_TODAY } from './codes';
import type { LeadScoreBatch } from './leadScores';
import {
  REC_CRITICAL_CHURN,
  REC_CRITICAL_HEALTH_OVERDUE,
  REC_DUE_THIS_WEEK,
  REC_DUE_TODAY,
  REC_FADING,
  REC_HOT,
  REC_LONG_OVERDUE,
  REC_NO_NEXT_STEP,
  REC_ON_TRACK,
  REC_OVERDUE,
  REC_STALLING,
} from './recommendationRules';
import type { ScoringConfig } from './scoringConfig';

/**
 * The recommendation rule code for one lead (index into `RECOMMENDATION_RULES`), first match wins:
 * critical health and overdue → long overdue → critical churn → overdue → due today → stalling → hot →
 * nothing scheduled → fading → due this week → on track.
 *
 * @example recommendationOf(32, 50, 20, 2, 5, FOLLOW_UP_OVERDUE, DEFAULT_SCORING_CONFIG) // => 0 (urgent call_now)
 */
export function recommendationOf(
  health: number,
  velocity: number,
  conversion: number,
  churnRisk: number,
  overdueDays: number,
  followUpStatus: number,
  config: ScoringConfig,
): number {
  const r = config.recommendation;
  if (overdueDays > 0 && health < r.criticalHealthBelow) return REC_CRITICAL_HEALTH_OVERDUE;
  if (overdueDays >= r.longOverdueDays) return REC_LONG_OVERDUE;
  if (churnRisk === CHURN_CRITICAL) return REC_CRITICAL_CHURN;
  if (overdueDays > 0) return REC_OVERDUE;
  if (followUpStatus === FOLLOW_UP_TODAY) return REC_DUE_TODAY;
  if (velocity < r.stallingVelocityBelow && health < r.stallingHealthBelow) return REC_STALLING;
  if (conversion >= r.hotConversionAtLeast && health >= r.hotHealthAtLeast) return REC_HOT;
  if (followUpStatus === FOLLOW_UP_NONE) return REC_NO_NEXT_STEP;
  if (health < config.churn.mediumHealthBelow) return REC_FADING;
  if (followUpStatus === FOLLOW_UP_THIS_WEEK) return REC_DUE_THIS_WEEK;
  return REC_ON_TRACK;
}

/**
 * Recommendation code for every lead: priority × action × reason in one small integer, so the hot path stores a
 * byte and the JSON text is rendered only where it is written or served (`renderRecommendationJson`).
 *
 * Complexity: O(n). Needs every other metric computed first.
 *
 * @example computeRecommendation(scores, DEFAULT_SCORING_CONFIG) // scores.recommendation[i] ∈ 0..10
 */
export function computeRecommendation(scores: LeadScoreBatch, config: ScoringConfig): void {
  const { health, velocity, conversion, churnRisk, overdueDays, followUpStatus, recommendation } = scores;
  for (let i = 0; i < health.length; i++) {
    recommendation[i] = recommendationOf(
      health[i]!,
      velocity[i]!,
      conversion[i]!,
      churnRisk[i]!,
      overdueDays[i]!,
      followUpStatus[i]!,
      config,
    );
  }
}
