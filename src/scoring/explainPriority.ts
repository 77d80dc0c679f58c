import { FOLLOW_UP_SCHEDULED } from './codes';
import {
  conversionTerm,
  dueUrgencyOf,
  scalePriority,
  urgencyTerm,
  valueTerm,
  type PriorityParams,
} from './computePriority';
import { decayAtDays } from './lookupTables';

export const PRIORITY_FACTORS = [
  'health',
  'overdue',
  'velocity',
  'follow_up',
  'conversion',
  'value',
] as const;
export type PriorityFactorName = (typeof PRIORITY_FACTORS)[number];

/** One feature's push on a lead's AIPriority, in AIPriority points, with a label in the rep's words. */
export interface PriorityFactor {
  readonly factor: PriorityFactorName;
  readonly label: string;
  readonly points: number;
}

/** The lead's values that priority depends on. */
export interface PriorityInputs {
  health: number;
  velocity: number;
  conversion: number;
  overdueDays: number;
  followUpStatus: number;
  estimatedValue: number;
}

const REFERENCE_HEALTH = 50;
const REFERENCE_VELOCITY = 50;
const REFERENCE_DUE_URGENCY = dueUrgencyOf(FOLLOW_UP_SCHEDULED);

// Labels of small integers are built once: the JSON renderer runs for every lead of every run. Every label is in
// the rep's words and units and names only what this lead has (a factor at the reference value scores 0 points and
// is never shown).
const HEALTH_LABELS = Array.from(
  { length: 101 },
  (_, h) => `${h < 50 ? 'low' : 'good'} health (${h} of 100)`,
);
const VELOCITY_LABELS = Array.from({ length: 101 }, (_, v) => `activity below its usual pace (${v} of 100)`);
const OVERDUE_LABELS = Array.from({ length: 366 }, (_, d) => `${d} day${d === 1 ? '' : 's'} overdue`);
/** By FollowUpStatus code; "scheduled" is the reference and never shown. */
const FOLLOW_UP_LABELS = [
  'no follow-up scheduled',
  'follow-up overdue',
  'follow-up due today',
  'follow-up due this week',
  'follow-up scheduled',
] as const;

export function priorityFactorLabel(factor: number, x: PriorityInputs): string {
  switch (factor) {
    case 0:
      return HEALTH_LABELS[x.health] ?? `health ${x.health} of 100`;
    case 1:
      return OVERDUE_LABELS[x.overdueDays] ?? `${x.overdueDays} days overdue`;
    case 2:
      return VELOCITY_LABELS[x.velocity] ?? `activity below its usual pace (${x.velocity} of 100)`;
    case 3:
      return FOLLOW_UP_LABELS[x.followUpStatus] ?? 'no follow-up scheduled';
    case 4:
      return `${x.conversion}% chance to convert`;
    default:
      return x.estimatedValue > 0 ? `deal value ${Math.round(x.estimatedValue)}` : 'no deal value set';
  }
}

/** Points on the AIPriority scale of a raw contribution `c` to raw priority `raw`: S(raw) − S(raw − c), to 0.1. */
function scalePoints(raw: number, s: number, c: number): number {
  return Math.round(10 * (s - scalePriority(raw - c))) / 10;
}

/**
 * Each factor's contribution in AIPriority points (rounded to 0.1) into `out` (length 6, `PRIORITY_FACTORS` order):
 * how much lower (or higher) the lead's AIPriority would be if that feature alone were at the reference lead's value
 * (health 50, nothing overdue, velocity 50, follow-up scheduled, conversion = `referenceConversion`, no estimated
 * value). Raw priority is E·U with U linear in the urgency features, so each raw difference is exact
 * (100·E·w·(u − u_ref)); it is carried through the scale as S(raw) − S(raw − difference), so the points are exact
 * on the AIPriority scale too.
 */
export function priorityContributions(x: PriorityInputs, pp: PriorityParams, out: Float64Array): void {
  // E = C(conversion)·V(value): one value-factor evaluation serves all three E terms
  const v = valueTerm(x.estimatedValue, pp);
  const c = conversionTerm(x.conversion, pp);
  const e = c * v;
  const u = urgencyTerm(x.health, x.overdueDays, x.velocity, dueUrgencyOf(x.followUpStatus), pp);
  const k = 100 * e;
  const raw = k * u;
  const s = scalePriority(raw);
  out[0] = scalePoints(raw, s, k * pp.wHealth * (REFERENCE_HEALTH - x.health));
  out[1] = scalePoints(raw, s, k * pp.wOverdue * (1 - decayAtDays(pp.overdueCurve, x.overdueDays)));
  out[2] = scalePoints(
    raw,
    s,
    k * (x.velocity < REFERENCE_VELOCITY ? pp.wStall * (REFERENCE_VELOCITY - x.velocity) : 0),
  );
  out[3] = scalePoints(raw, s, k * pp.wDue * (dueUrgencyOf(x.followUpStatus) - REFERENCE_DUE_URGENCY));
  out[4] = scalePoints(raw, s, 100 * (e - conversionTerm(pp.referenceConversion, pp) * v) * u);
  out[5] = scalePoints(raw, s, 100 * (e - c * pp.missingValuePow) * u);
}

/**
 * Picks the top three positive (largest first) then the top three negative (most negative first) contributions;
 * zeros are left out. Writes factor indexes into `order` and returns how many were picked.
 */
export function pickTopFactors(points: Float64Array, order: Int8Array): number {
  let n = 0;
  for (const sign of [1, -1]) {
    const start = n;
    for (let f = 0; f < points.length; f++) {
      const p = points[f]! * sign;
      if (p <= 0) continue;
      // insertion into the sorted run [start, n), keeping at most 3
      let j = n < start + 3 ? n++ : start + 3;
      while (j > start && points[order[j - 1]!]! * sign < p) {
        if (j < start + 3) order[j] = order[j - 1]!;
        j--;
      }
      if (j < start + 3) order[j] = f;
    }
  }
  return n;
}

/**
 * Why a lead has its AIPriority: the top three features pushing it up and the top three pulling it down, each with
 * its contribution in points (see `priorityContributions`).
 *
 * Complexity: O(1) per lead.
 *
 * @example
 * explainPriority({ health: 32, velocity: 50, conversion: 7.88, overdueDays: 5, followUpStatus: 1, estimatedValue: NaN }, pp)
 * // => [{ factor: 'overdue', label: '5 days overdue', … }, …]
 */
export function explainPriority(x: PriorityInputs, pp: PriorityParams): PriorityFactor[] {
  const points = new Float64Array(PRIORITY_FACTORS.length);
  const order = new Int8Array(PRIORITY_FACTORS.length);
  priorityContributions(x, pp, points);
  const n = pickTopFactors(points, order);
  const out: PriorityFactor[] = [];
  for (let k = 0; k < n; k++) {
    const f = order[k]!;
    out.push({ factor: PRIORITY_FACTORS[f]!, label: priorityFactorLabel(f, x), points: points[f]! });
  }
  return out;
}
