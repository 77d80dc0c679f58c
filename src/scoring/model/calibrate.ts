import { fitLogistic } from './logisticRegression';
import { logLoss } from './metrics';

/** Platt scaling: p' = σ(b + a · logit p). */
export interface Platt {
  readonly a: number;
  readonly b: number;
}

/** An isotonic (monotone step) map: a score at or above `x[k]` (and below `x[k+1]`) becomes `y[k]`. */
export interface Isotonic {
  readonly x: number[];
  readonly y: number[];
}

export type CalibrationKind = 'none' | 'platt' | 'isotonic';

export interface CalibrationChoice {
  readonly kind: CalibrationKind;
  readonly platt: Platt | null;
  readonly isotonic: Isotonic | null;
  /** Cross-validated log loss of each candidate on the calibration split (NaN: not tried). */
  readonly logLoss: Readonly<Record<CalibrationKind, number>>;
}

const logit = (p: number): number => Math.log(Math.max(1e-12, p) / Math.max(1e-12, 1 - p));
/** Isotonic outputs are kept off 0 and 1: one unlucky lead must not cost an infinite log loss. */
const ISOTONIC_FLOOR = 1e-3;

/** Applies Platt scaling (none: unchanged). */
export function applyPlatt(p: Float64Array, platt: Platt | null | undefined): Float64Array {
  if (!platt) return p;
  return p.map((q) => 1 / (1 + Math.exp(-(platt.b + platt.a * logit(q)))));
}

/** Applies an isotonic step map (none: unchanged); a score below the first step takes the first value. */
export function applyIsotonic(p: Float64Array, iso: Isotonic | null | undefined): Float64Array {
  if (!iso || iso.x.length === 0) return p;
  return p.map((q) => {
    let lo = 0;
    let hi = iso.x.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (iso.x[mid]! <= q) lo = mid;
      else hi = mid - 1;
    }
    return iso.y[lo]!;
  });
}

/**
 * Platt scaling fitted by (nearly unpenalised) logistic regression of the outcome on logit p.
 *
 * @example fitPlatt(Float64Array.of(0.5, 0.5, 0.5, 0.5), Uint8Array.of(1, 0, 0, 0)).b // => ≈ ln(1/3)
 */
export function fitPlatt(p: Float64Array, y: Uint8Array): Platt {
  const z = new Float64Array(p.length * 2);
  p.forEach((q, i) => {
    z[2 * i] = 1;
    z[2 * i + 1] = logit(q);
  });
  const fit = fitLogistic(z, y, p.length, 2, { l2: 1e-6 });
  return { a: fit.coef[1]!, b: fit.coef[0]! };
}

/**
 * Isotonic regression by pool-adjacent-violators: the non-decreasing step function of the score closest (least
 * squares) to the outcomes; tied scores are pooled first. Each step starts at its block's lowest score; its value is
 * the block's outcome rate, kept within [0.001, 0.999].
 *
 * Complexity: O(n log n).
 *
 * @example fitIsotonic(Float64Array.of(0.1, 0.2, 0.3, 0.4), Uint8Array.of(0, 1, 0, 1)) // => { x: [0.1, 0.2, 0.4], y: [0.001, 0.5, 0.999] }
 */
export function fitIsotonic(p: Float64Array, y: Uint8Array): Isotonic {
  const order = Array.from(p.keys()).sort((a, b) => p[a]! - p[b]!);
  const x: number[] = [];
  const sum: number[] = [];
  const count: number[] = [];
  for (const i of order) {
    if (x.length && p[i] === x[x.length - 1]) {
      sum[sum.length - 1]! += y[i]!;
      count[count.length - 1]!++;
    } else {
      x.push(p[i]!);
      sum.push(y[i]!);
      count.push(1);
    }
    while (
      sum.length > 1 &&
      sum[sum.length - 2]! / count[count.length - 2]! >= sum[sum.length - 1]! / count[count.length - 1]!
    ) {
      sum[sum.length - 2]! += sum.pop()!;
      count[count.length - 2]! += count.pop()!;
      x.pop();
    }
  }
  const clip = (v: number): number => Math.min(1 - ISOTONIC_FLOOR, Math.max(ISOTONIC_FLOOR, v));
  return { x, y: sum.map((s, k) => clip(s / count[k]!)) };
}

/**
 * Chooses how to calibrate raw probabilities on the calibration split (the most recent slice before the holdout,
 * so the map follows drift): none, Platt scaling or isotonic regression, whichever has the lowest log loss on that
 * split, each candidate scored by `folds`-fold cross-validation within it (a map scored on the leads it was fitted
 * to would always win). A fitted map must beat "none" by 1e-4 to be kept; below 50 leads nothing is fitted. The
 * chosen map is then refitted on the whole split.
 *
 * Complexity: O(folds · n log n).
 */
export function chooseCalibration(p: Float64Array, y: Uint8Array, folds = 5): CalibrationChoice {
  const none = logLoss(p, y);
  if (p.length < 50)
    return { kind: 'none', platt: null, isotonic: null, logLoss: { none, platt: NaN, isotonic: NaN } };
  const pick = (idx: number[]): [Float64Array, Uint8Array] => {
    const [q, z] = [new Float64Array(idx.length), new Uint8Array(idx.length)];
    idx.forEach((i, k) => ((q[k] = p[i]!), (z[k] = y[i]!)));
    return [q, z];
  };
  const cv = (apply: (train: number[], test: number[]) => Float64Array): number => {
    let total = 0;
    for (let k = 0; k < folds; k++) {
      const test: number[] = [];
      const train: number[] = [];
      for (let i = 0; i < p.length; i++) (i % folds === k ? test : train).push(i);
      total += logLoss(apply(train, test), pick(test)[1]) * test.length;
    }
    return total / p.length;
  };
  const platt = cv((tr, te) => applyPlatt(pick(te)[0], fitPlatt(...pick(tr))));
  const isotonic = cv((tr, te) => applyIsotonic(pick(te)[0], fitIsotonic(...pick(tr))));
  const losses = { none, platt, isotonic };
  let kind: CalibrationKind = 'none';
  if (platt < none - 1e-4 && !(isotonic < platt - 1e-4)) kind = 'platt';
  else if (isotonic < none - 1e-4 && isotonic < platt) kind = 'isotonic';
  return {
    kind,
    platt: kind === 'platt' ? fitPlatt(p, y) : null,
    isotonic: kind === 'isotonic' ? fitIsotonic(p, y) : null,
    logLoss: losses,
  };
}

/** Applies whichever calibration a model carries (older models: Platt or none). */
export function applyCalibration(
  p: Float64Array,
  c: { readonly platt: Platt | null; readonly isotonic?: Isotonic | null },
): Float64Array {
  return c.isotonic ? applyIsotonic(p, c.isotonic) : applyPlatt(p, c.platt);
}
