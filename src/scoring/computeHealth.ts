import { MS_PER_DAY } from './codes';
import { overdueDaysOf } from './computeOverdueDays';
import type { LeadFeatureBatch } from './leadFeatures';
import type { ScoringConfig } from './scoringConfig';

/**
 * HealthScore 0–100 for every lead: a weighted mean of four sub-scores in [0, 1] (docs/scoring.md §Health):
 * - recency    = 0.5^(days since last activity / recencyHalfLifeDays); last activity = latest of contact,
 *                completed follow-up and visit, else the created date; no date at all → 0; future dates → 1.
 * - engagement = 1 − e^(−(visitWeight·visits30d + completedFollowUps30d) / engagementSaturation).
 * - discipline = 0.5^(overdueDays / overdueHalfLifeDays) / (1 + extraOverduePenalty·(overdueFollowUps − 1)⁺).
 * - stageAge   = 1 within stageGraceDays in the current stage, then halves every stageHalfLifeDays; unknown → 0.5.
 *
 * Why: contact recency is the strongest decay signal in B2B pipelines; engagement saturates so one busy week
 * cannot mask a month of silence; discipline punishes the CRM's own promises left unkept.
 *
 * Complexity: O(n), three `exp` per lead.
 *
 * @example
 * // contacted today, 2 visits and 2 completed follow-ups this month, nothing overdue, stage 3 days old
 * computeHealth(batch, now, DEFAULT_SCORING_CONFIG, out) // out[0] => 93
 */
export function computeHealth(
  batch: LeadFeatureBatch,
  now: number,
  config: ScoringConfig,
  out: Uint8Array,
): void {
  const h = config.health;
  const w = h.weights;
  const wSum = w.recency + w.engagement + w.discipline + w.stageAge;
  const wRec = (100 * w.recency) / wSum;
  const wEng = (100 * w.engagement) / wSum;
  const wDisc = (100 * w.discipline) / wSum;
  const wStage = (100 * w.stageAge) / wSum;
  const kRecency = -Math.LN2 / (h.recencyHalfLifeDays * MS_PER_DAY);
  const kOverdue = -Math.LN2 / h.overdueHalfLifeDays;
  const kStage = -Math.LN2 / (h.stageHalfLifeDays * MS_PER_DAY);
  const graceMs = h.stageGraceDays * MS_PER_DAY;
  const invSat = 1 / h.engagementSaturation;
  const visitWeight = h.visitWeight;
  const extra = h.extraOverduePenalty;

  const { createdAt, statusChangedAt, lastContactAt, lastFollowUpCompletedAt, lastVisitAt } = batch;
  const { nextFollowUpDueAt, overdueFollowUps, visits30d, completedFollowUps30d } = batch;
  const n = batch.leadId.length;
  for (let i = 0; i < n; i++) {
    // NaN-safe max: comparisons with NaN are false, so missing dates never win.
    let last = lastContactAt[i]!;
    const fu = lastFollowUpCompletedAt[i]!;
    const vi = lastVisitAt[i]!;
    if (fu > last || last !== last) last = fu;
    if (vi > last || last !== last) last = vi;
    if (last !== last) last = createdAt[i]!;
    const age = now - last;
    const recency = last !== last ? 0 : age <= 0 ? 1 : Math.exp(kRecency * age);

    const engagement = 1 - Math.exp(-(visitWeight * visits30d[i]! + completedFollowUps30d[i]!) * invSat);

    const od = overdueDaysOf(nextFollowUpDueAt[i]!, now);
    const extraOverdue = overdueFollowUps[i]! - 1;
    let discipline = od === 0 ? 1 : Math.exp(kOverdue * od);
    if (extraOverdue > 0) discipline /= 1 + extra * extraOverdue;

    let stageStart = statusChangedAt[i]!;
    if (stageStart !== stageStart) stageStart = createdAt[i]!;
    const stageAge = now - stageStart - graceMs;
    const stage = stageStart !== stageStart ? 0.5 : stageAge <= 0 ? 1 : Math.exp(kStage * stageAge);

    out[i] = Math.round(wRec * recency + wEng * engagement + wDisc * discipline + wStage * stage);
  }
}
