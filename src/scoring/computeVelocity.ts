import type { LeadFeatureBatch } from './leadFeatures';
import type { ScoringConfig } from './scoringConfig';

/** Days of the 30-day window that precede the 7-day window. */
const BASELINE_DAYS = 23;

/**
 * VelocityScore 0–100 for every lead: is activity accelerating (>50), steady (50) or stalling (<50)?
 *   a7 = completed follow-ups + visits in the last 7 days; baseline = the same per week over the 23 days before.
 *   z  = baselineWeight·log2((a7+1)/(baseline+1))
 *      + snapshotWeight·log2((a7+1)/(prevActivity7d+1))     (0 without a previous snapshot)
 *      + healthTrendWeight·(health − prevHealth)/10          (0 without a previous snapshot)
 *   velocity = round(100 / (1 + e^(−z)))
 * Why: comparing a lead with its own history is fairer than a global threshold (a quarterly-cycle enterprise deal
 * and a weekly SMB lead both read 50 when they keep their pace); the logistic keeps it in range and symmetric.
 *
 * Complexity: O(n), two `log2` and one `exp` per lead. Needs `health` computed first.
 *
 * @example
 * // 4 activities this week after 1 in the 23 days before (0.3/week), no snapshot
 * computeVelocity(batch, health, DEFAULT_SCORING_CONFIG, out) // out[0] => 83
 */
export function computeVelocity(
  batch: LeadFeatureBatch,
  health: Uint8Array,
  config: ScoringConfig,
  out: Uint8Array,
): void {
  const { baselineWeight, snapshotWeight, healthTrendWeight } = config.velocity;
  const { completedFollowUps7d, completedFollowUps30d, visits7d, visits30d, prevActivity7d, prevHealth } =
    batch;
  const perWeek = 7 / BASELINE_DAYS;
  const hw = healthTrendWeight / 10;
  const n = batch.leadId.length;
  for (let i = 0; i < n; i++) {
    const a7 = completedFollowUps7d[i]! + visits7d[i]!;
    const a30 = completedFollowUps30d[i]! + visits30d[i]!;
    const baseline = a30 > a7 ? (a30 - a7) * perWeek : 0;
    const lnA7 = Math.log2(a7 + 1);
    let z = baselineWeight * (lnA7 - Math.log2(baseline + 1));
    const prevA = prevActivity7d[i]!;
    if (prevA === prevA) z += snapshotWeight * (lnA7 - Math.log2((prevA > 0 ? prevA : 0) + 1));
    const prevH = prevHealth[i]!;
    if (prevH === prevH) z += hw * (health[i]! - prevH);
    const v = Math.round(100 / (1 + Math.exp(-z)));
    out[i] = v === v ? v : 50; // z is NaN only for non-finite snapshot values: read as "steady"
  }
}
