import { FOLLOW_UP_SCHEDULED, FOLLOW_UP_STATUSES } from './codes';
import { conversionTerm, dueUrgencyOf, urgencyTerm, valueTerm, type PriorityParams } from './computePriority';
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

/** One feature's push on a lead's AIPriority, in priority points. */
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

// Labels of small integers are built once: the JSON renderer runs for every lead of every run.
const HEALTH_LABELS = Array.from({ length: 101 }, (_, h) => `Health ${h}`);
const VELOCITY_LABELS = Array.from({ length: 101 }, (_, v) => `Velocity ${v}`);
const OVERDUE_LABELS = Array.from(
  { length: 366 },
  (_, d) => `Follow-up ${d} day${d === 1 ? '' : 's'} overdue`,
);
const FOLLOW_UP_LABELS = FOLLOW_UP_STATUSES.map((f) => `Follow-up status ${f}`);

export function priorityFactorLabel(factor: number, x: PriorityInputs): string {
  switch (factor) {
    case 0:
      return HEALTH_LABELS[x.health] ?? `Health ${x.health}`;
    case 1:
      return OVERDUE_LABELS[x.overdueDays] ?? `Follow-up ${x.overdueDays} days overdue`;
    case 2:
      return VELOCITY_LABELS[x.velocity] ?? `Velocity ${x.velocity}`;
    case 3:
      return FOLLOW_UP_LABELS[x.followUpStatus] ?? 'Follow-up status none';
    case 4:
      return `Conversion probability ${x.conversion}%`;
    default:
      return x.estimatedValue > 0 ? `Estimated value ${Math.round(x.estimatedValue)}` : 'No estimated value';
  }
}

/**
 * Each factor's contribution in priority points (rounded to 0.1) into `out` (length 6, `PRIORITY_FACTORS` order):
 * the change in priority if that feature alone were at the reference lead's value (health 50, nothing overdue,
 * velocity 50, follow-up scheduled, conversion = `referenceConversion`, no estimated value). Priority is
 * E·U with U linear in the urgency features, so those contributions are exact: 100·E·w·(u − u_ref).
 */
export function priorityContributions(x: PriorityInputs, pp: PriorityParams, out: Float64Array): void {
  // E = C(conversion)·V(value): one value-factor evaluation serves all three E terms
  const v = valueTerm(x.estimatedValue, pp);
  const c = conversionTerm(x.conversion, pp);
  const e = c * v;
  const u = urgencyTerm(x.health, x.overdueDays, x.velocity, dueUrgencyOf(x.followUpStatus), pp);
  const k = 100 * e;
  out[0] = Math.round(10 * k * pp.wHealth * (REFERENCE_HEALTH - x.health)) / 10;
  out[1] = Math.round(10 * k * pp.wOverdue * (1 - decayAtDays(pp.overdueCurve, x.overdueDays))) / 10;
  out[2] =
    Math.round(
      10 * k * (x.velocity < REFERENCE_VELOCITY ? pp.wStall * (REFERENCE_VELOCITY - x.velocity) : 0),
    ) / 10;
  out[3] = Math.round(10 * k * pp.wDue * (dueUrgencyOf(x.followUpStatus) - REFERENCE_DUE_URGENCY)) / 10;
  out[4] = Math.round(1000 * (e - conversionTerm(pp.referenceConversion, pp) * v) * u) / 10;
  out[5] = Math.round(1000 * (e - c * pp.missingValuePow) * u) / 10;
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
 * // => [{ factor: 'follow_up', … }, { factor: 'overdue', label: 'Follow-up 5 days overdue', … }, …]
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
