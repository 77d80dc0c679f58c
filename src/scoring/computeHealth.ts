import { MS_PER_DAY } from './codes';
import type { LeadFeatureBatch } from './leadFeatures';
import { decayAtDays, decayAtMs, decayCurve, type DecayCurve } from './lookupTables';
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
 * Complexity: O(n); the decays come from memoised tables (`lookupTables.ts`), no `exp` in the loop.
 * Needs `overdueDays` (computeOverdueDays) first.
 *
 * @example
 * // contacted today, 2 visits and 2 completed follow-ups this month, nothing overdue, stage 3 days old
 * computeHealth(batch, overdueDays, now, DEFAULT_SCORING_CONFIG, out) // out[0] => 93
 */
export function computeHealth(
  batch: LeadFeatureBatch,
  overdueDays: Int32Array,
  now: number,
  config: ScoringConfig,
  out: Uint8Array,
): void {
  const hp = healthParams(config);
  for (let i = 0; i < out.length; i++) out[i] = healthAt(batch, i, overdueDays[i]!, now, hp);
}

/** Constants of the health formula, derived once per run from the config. */
export interface HealthParams {
  readonly wRec: number;
  readonly wEng: number;
  readonly wDisc: number;
  readonly wStage: number;
  readonly recencyCurve: DecayCurve;
  readonly overdueCurve: DecayCurve;
  readonly stageCurve: DecayCurve;
  readonly engagement: Float64Array;
  readonly visitWeight: number;
  readonly invSaturation: number;
  readonly graceMs: number;
  readonly extraOverduePenalty: number;
}

export function healthParams(config: ScoringConfig): HealthParams {
  const h = config.health;
  const w = h.weights;
  const wSum = w.recency + w.engagement + w.discipline + w.stageAge;
  return {
    wRec: (100 * w.recency) / wSum,
    wEng: (100 * w.engagement) / wSum,
    wDisc: (100 * w.discipline) / wSum,
    wStage: (100 * w.stageAge) / wSum,
    recencyCurve: decayCurve(h.recencyHalfLifeDays),
    overdueCurve: decayCurve(h.overdueHalfLifeDays),
    stageCurve: decayCurve(h.stageHalfLifeDays),
    engagement: engagementTable(h.visitWeight, h.engagementSaturation),
    visitWeight: h.visitWeight,
    invSaturation: 1 / h.engagementSaturation,
    graceMs: h.stageGraceDays * MS_PER_DAY,
    extraOverduePenalty: h.extraOverduePenalty,
  };
}

/** HealthScore of lead `i` (see `computeHealth`). */
export function healthAt(
  b: LeadFeatureBatch,
  i: number,
  overdueDays: number,
  now: number,
  hp: HealthParams,
): number {
  // NaN-safe max: comparisons with NaN are false, so missing dates never win.
  let last = b.lastContactAt[i]!;
  const fu = b.lastFollowUpCompletedAt[i]!;
  const vi = b.lastVisitAt[i]!;
  if (fu > last || last !== last) last = fu;
  if (vi > last || last !== last) last = vi;
  const created = b.createdAt[i]!;
  if (last !== last) last = created;
  const recency = last !== last ? 0 : decayAtMs(hp.recencyCurve, now - last);

  const v = b.visits30d[i]!;
  const c = b.completedFollowUps30d[i]!;
  const engagement =
    v < ENGAGEMENT_SIDE && c < ENGAGEMENT_SIDE
      ? hp.engagement[v * ENGAGEMENT_SIDE + c]!
      : 1 - Math.exp(-(hp.visitWeight * v + c) * hp.invSaturation);

  const extraOverdue = b.overdueFollowUps[i]! - 1;
  let discipline = decayAtDays(hp.overdueCurve, overdueDays);
  if (extraOverdue > 0) discipline /= 1 + hp.extraOverduePenalty * extraOverdue;

  let stageStart = b.statusChangedAt[i]!;
  if (stageStart !== stageStart) stageStart = created;
  const stage = stageStart !== stageStart ? 0.5 : decayAtMs(hp.stageCurve, now - stageStart - hp.graceMs);

  return Math.round(hp.wRec * recency + hp.wEng * engagement + hp.wDisc * discipline + hp.wStage * stage);
}

const ENGAGEMENT_SIDE = 64;
const engagementCache = new Map<string, Float64Array>();

/** 1 − e^(−(visitWeight·visits + completed)/saturation), tabled for counts below 64. */
function engagementTable(visitWeight: number, saturation: number): Float64Array {
  const key = `${visitWeight}/${saturation}`;
  let t = engagementCache.get(key);
  if (t === undefined) {
    t = new Float64Array(ENGAGEMENT_SIDE * ENGAGEMENT_SIDE);
    for (let v = 0; v < ENGAGEMENT_SIDE; v++) {
      for (let c = 0; c < ENGAGEMENT_SIDE; c++)
        t[v * ENGAGEMENT_SIDE + c] = 1 - Math.exp(-(visitWeight * v + c) / saturation);
    }
    engagementCache.set(key, t);
  }
  return t;
}
