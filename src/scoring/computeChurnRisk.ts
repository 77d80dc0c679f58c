import { CHURN_CRITICAL, CHURN_HIGH, CHURN_LOW, CHURN_MEDIUM } from './codes';
import type { LeadScoreBatch } from './leadScores';
import type { ScoringConfig } from './scoringConfig';

/**
 * ChurnRisk tier of one lead: the worst tier any signal reaches.
 * critical: health < 30 or ≥ 14 days overdue; high: health < 50, ≥ 7 days overdue or velocity < 20;
 * medium: health < 70, ≥ 1 day overdue or velocity < 35; else low (defaults; all in the config).
 *
 * @example churnRiskOf(32, 5, 50, DEFAULT_SCORING_CONFIG) // => CHURN_HIGH (2)
 */
export function churnRiskOf(
  health: number,
  overdueDays: number,
  velocity: number,
  config: ScoringConfig,
): number {
  const c = config.churn;
  if (health < c.criticalHealthBelow || overdueDays >= c.criticalOverdueDays) return CHURN_CRITICAL;
  if (health < c.highHealthBelow || overdueDays >= c.highOverdueDays || velocity < c.highVelocityBelow)
    return CHURN_HIGH;
  if (
    health < c.mediumHealthBelow ||
    overdueDays >= c.mediumOverdueDays ||
    velocity < c.mediumVelocityBelow
  ) {
    return CHURN_MEDIUM;
  }
  return CHURN_LOW;
}

/**
 * ChurnRisk (low / medium / high / critical) for every lead. Tiers, not a score, because sales teams act on tiers;
 * thresholds, not a blend, so a rep can read why a lead is "critical" from one number.
 *
 * Complexity: O(n). Needs health, velocity and overdueDays computed first.
 *
 * @example computeChurnRisk(scores, DEFAULT_SCORING_CONFIG) // scores.churnRisk[i] ∈ 0..3
 */
export function computeChurnRisk(scores: LeadScoreBatch, config: ScoringConfig): void {
  const { health, overdueDays, velocity, churnRisk } = scores;
  for (let i = 0; i < health.length; i++)
    churnRisk[i] = churnRiskOf(health[i]!, overdueDays[i]!, velocity[i]!, config);
}
