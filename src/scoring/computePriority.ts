import type { LeadFeatureBatch } from './leadFeatures';
import { decayAtDays, decayCurve, type DecayCurve } from './lookupTables';
import type { LeadScoreBatch } from './leadScores';
import type { ScoringConfig } from './scoringConfig';

/**
 * Urgency of the next step by FollowUpStatus code (none 0.5, overdue 1, today 1, this_week 0.5, scheduled 0): nothing
 * planned is itself a reason to act.
 */
const DUE_URGENCY_BY_CODE = Float64Array.of(0.5, 1, 1, 0.5, 0);

/**
 * The AIPriority scale: knots (raw priority → AIPriority) of a fixed, increasing, piecewise-linear map from the
 * formula's raw value (`priorityOf`, which on real pipelines rarely passes 60) onto the whole 0–100 scale, so that the
 * bands (`PRIORITY_BANDS`) mean something: raw 14 → 25 (C starts), raw 20 → 50 (B), raw 34 → 75 (A), raw 60 → 95.
 * Fixed numbers, not quantiles of the current leads: a lead's AIPriority depends on that lead only, and the map is
 * increasing, so every monotonicity of the raw formula holds for AIPriority. The knots were placed once on the
 * demo CRM (docs/scoring.md §Scale and bands) and on the guide's example lead (raw 21.3 → 52, band B).
 */
export const PRIORITY_SCALE_KNOTS: readonly (readonly [raw: number, aiPriority: number])[] = Object.freeze([
  [0, 0],
  [14, 25],
  [20, 50],
  [34, 75],
  [60, 95],
  [100, 100],
] as const);

// The knots as flat typed arrays with each segment's slope: scalePriority runs once per lead and six times more per
// rendered explanation.
const KNOT_RAW = Float64Array.from(PRIORITY_SCALE_KNOTS, (k) => k[0]);
const KNOT_AI = Float64Array.from(PRIORITY_SCALE_KNOTS, (k) => k[1]);
const KNOT_SLOPE = Float64Array.from(PRIORITY_SCALE_KNOTS.slice(1), (k, i) => {
  const [x0, y0] = PRIORITY_SCALE_KNOTS[i]!;
  return (k[1] - y0) / (k[0] - x0);
});

/** The AIPriority (unrounded, 0–100) of a raw priority by `PRIORITY_SCALE_KNOTS`; O(1). */
export function scalePriority(raw: number): number {
  if (!(raw > 0)) return 0;
  if (raw >= 100) return 100;
  let k = 0;
  while (KNOT_RAW[k + 1]! < raw) k++;
  return KNOT_AI[k]! + (raw - KNOT_RAW[k]!) * KNOT_SLOPE[k]!;
}

/** The stored AIPriority (integer 0–100) of a raw priority. */
export function aiPriorityOf(raw: number): number {
  return Math.round(scalePriority(raw));
}

/** Constants of the priority formula, derived once per run from the config. */
export interface PriorityParams {
  readonly floor: number;
  readonly wHealth: number;
  readonly wOverdue: number;
  readonly wStall: number;
  readonly wDue: number;
  readonly overdueCurve: DecayCurve;
  readonly missingValueFactor: number;
  readonly invLnValueRef: number;
  readonly referenceConversion: number;
  readonly valueExponent: number;
  /** (c/10000)^valueExponent for conversion c in hundredths of a percent, 0..10000. */
  readonly conversionPow: Float64Array;
  /** valueFactor^valueExponent of a lead without an estimated value. */
  readonly missingValuePow: number;
  /** (0.5 + 0.5·m)^valueExponent for m = k / VALUE_STEPS, k = 0..VALUE_STEPS (+1 guard entry). */
  readonly valuePow: Float64Array;
}

const VALUE_STEPS = 4096;
const valuePowCache = new Map<number, Float64Array>();

function valuePowTable(exponent: number): Float64Array {
  let t = valuePowCache.get(exponent);
  if (t === undefined) {
    t = Float64Array.from({ length: VALUE_STEPS + 2 }, (_, k) =>
      Math.pow(0.5 + 0.5 * Math.min(1, k / VALUE_STEPS), exponent),
    );
    valuePowCache.set(exponent, t);
  }
  return t;
}

const conversionPowCache = new Map<number, Float64Array>();

export function priorityParams(config: ScoringConfig): PriorityParams {
  const p = config.priority;
  const u = p.urgencyWeights;
  const scale = (1 - p.urgencyFloor) / (u.health + u.overdue + u.stall + u.dueSoon);
  let conversionPow = conversionPowCache.get(p.valueExponent);
  if (conversionPow === undefined) {
    conversionPow = Float64Array.from({ length: 10_001 }, (_, c) => Math.pow(c / 10_000, p.valueExponent));
    conversionPowCache.set(p.valueExponent, conversionPow);
  }
  return {
    floor: p.urgencyFloor,
    wHealth: (u.health * scale) / 100,
    wOverdue: u.overdue * scale,
    wStall: (u.stall * scale) / 50,
    wDue: u.dueSoon * scale,
    overdueCurve: decayCurve(config.health.overdueHalfLifeDays),
    missingValueFactor: p.missingValueFactor,
    invLnValueRef: 1 / Math.log1p(p.valueReference),
    referenceConversion: p.referenceConversion,
    valueExponent: p.valueExponent,
    conversionPow,
    missingValuePow: Math.pow(0.5 + 0.5 * p.missingValueFactor, p.valueExponent),
    valuePow: valuePowTable(p.valueExponent),
  };
}

/**
 * Value multiplier in [0.5, 1]: 0.5 + 0.5·min(1, ln(1+value)/ln(1+valueReference)); a missing, zero or negative
 * value counts as `missingValueFactor` on the inner term. Log scale: a 10× bigger deal matters, linearly it would
 * drown every other signal.
 */
export function valueFactorOf(value: number, pp: PriorityParams): number {
  const m = value > 0 ? Math.min(1, Math.log1p(value) * pp.invLnValueRef) : pp.missingValueFactor;
  return 0.5 + 0.5 * m;
}

/** Urgency of a FollowUpStatus code. */
export function dueUrgencyOf(followUpStatus: number): number {
  return DUE_URGENCY_BY_CODE[followUpStatus] ?? 0;
}

/** (conversion/100)^valueExponent, by table for two-decimal percentages. */
export function conversionTerm(conversion: number, pp: PriorityParams): number {
  const c = Math.round(conversion * 100);
  return c >= 0 && c <= 10_000 ? pp.conversionPow[c]! : Math.pow(conversion / 100, pp.valueExponent);
}

/** valueFactor^valueExponent; a missing, zero or negative value gives `missingValuePow`. */
export function valueTerm(value: number, pp: PriorityParams): number {
  if (!(value > 0)) return pp.missingValuePow;
  // (0.5 + 0.5·m)^e by linear interpolation in a 4096-step table (error < 1e-8)
  const x = Math.min(1, Math.log1p(value) * pp.invLnValueRef) * VALUE_STEPS;
  const k = x | 0;
  const a = pp.valuePow[k]!;
  return a + (x - k) * (pp.valuePow[k + 1]! - a);
}

/** The expected-value term (p · valueFactor)^valueExponent, with p a percentage. */
export function expectedValueTerm(conversion: number, value: number, pp: PriorityParams): number {
  return conversionTerm(conversion, pp) * valueTerm(value, pp);
}

/**
 * The urgency term U = floor + wHealth·(100 − health) + wOverdue·(1 − 0.5^(overdueDays/halfLife))
 * + wStall·(50 − velocity)⁺ + wDue·dueUrgency, in [floor, 1].
 */
export function urgencyTerm(
  health: number,
  overdueDays: number,
  velocity: number,
  dueUrgency: number,
  pp: PriorityParams,
): number {
  return (
    pp.floor +
    pp.wHealth * (100 - health) +
    pp.wOverdue * (1 - decayAtDays(pp.overdueCurve, overdueDays)) +
    (velocity < 50 ? pp.wStall * (50 - velocity) : 0) +
    pp.wDue * dueUrgency
  );
}

/** The raw (unscaled) priority of one lead: 100 · (p · valueFactor)^valueExponent · U; see `scalePriority`. */
export function priorityOf(
  conversion: number,
  estimatedValue: number,
  health: number,
  overdueDays: number,
  velocity: number,
  dueUrgency: number,
  pp: PriorityParams,
): number {
  return (
    100 *
    expectedValueTerm(conversion, estimatedValue, pp) *
    urgencyTerm(health, overdueDays, velocity, dueUrgency, pp)
  );
}

/**
 * AIPriority 0–100 for every lead — whom to work next, on the scale of `scalePriority`: the value of converting (probability × deal size) times the
 * urgency of acting now (low health, overdue follow-ups, stalling velocity, a follow-up due). See `priorityOf`.
 * Why multiplicative: a hopeless lead is not urgent however overdue, and a hot lead with nothing pending can wait
 * for its scheduled call; the exponent (0.35) compresses the expected value so that, among viable leads, urgency
 * decides the order.
 *
 * Complexity: O(n). Needs health, velocity, conversion, overdueDays and followUpStatus computed first.
 *
 * @example
 * // conversion 30 %, no value, health 40, 3 days overdue, velocity 45, follow-up overdue
 * computePriority(batch, scores, DEFAULT_SCORING_CONFIG) // scores.priority[0] => 70 (raw 31)
 */
export function computePriority(
  batch: LeadFeatureBatch,
  scores: LeadScoreBatch,
  config: ScoringConfig,
): void {
  const pp = priorityParams(config);
  const { health, velocity, conversion, overdueDays, followUpStatus, priority } = scores;
  const value = batch.estimatedValue;
  const n = scores.leadId.length;
  for (let i = 0; i < n; i++) {
    const p = priorityOf(
      conversion[i]!,
      value[i]!,
      health[i]!,
      overdueDays[i]!,
      velocity[i]!,
      DUE_URGENCY_BY_CODE[followUpStatus[i]!]!,
      pp,
    );
    priority[i] = aiPriorityOf(p);
  }
}
