import type { LeadFeatureBatch } from './leadFeatures';
import { log2OnePlus, logistic, SMALL_INT_LIMIT } from './lookupTables';
import type { ScoringConfig } from './scoringConfig';

/** Days of the 30-day window that precede the 7-day window. */
const BASELINE_DAYS = 23;
/** log2(1 + k·7/23): the baseline term for k activities in the 23 days before this week. */
const PER_WEEK = 7 / BASELINE_DAYS;
const LOG2_BASE = Float64Array.from({ length: SMALL_INT_LIMIT }, (_, k) =>
  Math.log2(1 + (k * 7) / BASELINE_DAYS),
);

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
 * Complexity: O(n); logarithms of small counts and the logistic come from tables (`lookupTables.ts`). Needs `health` computed first.
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
  const vp = config.velocity;
  for (let i = 0; i < out.length; i++) out[i] = velocityAt(batch, i, health[i]!, vp);
}

/** VelocityScore of lead `i` given its health (see `computeVelocity`). */
export function velocityAt(
  b: LeadFeatureBatch,
  i: number,
  health: number,
  vp: ScoringConfig['velocity'],
): number {
  const a7 = b.completedFollowUps7d[i]! + b.visits7d[i]!;
  const before = b.completedFollowUps30d[i]! + b.visits30d[i]! - a7;
  const lnA7 = log2OnePlus(a7);
  let z = 0;
  if (before > 0) {
    z =
      vp.baselineWeight *
      (lnA7 - (before < SMALL_INT_LIMIT ? LOG2_BASE[before]! : Math.log2(1 + before * PER_WEEK)));
  } else z = vp.baselineWeight * lnA7;
  const prevA = b.prevActivity7d[i]!;
  if (prevA === prevA) z += vp.snapshotWeight * (lnA7 - log2OnePlus(prevA > 0 ? prevA : 0));
  const prevH = b.prevHealth[i]!;
  if (prevH === prevH) z += vp.healthTrendWeight * 0.1 * (health - prevH);
  return Math.round(100 * logistic(z)); // z is NaN only for non-finite snapshot values: logistic reads it as 50
}
