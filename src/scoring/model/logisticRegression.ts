import { InputError } from '../../errors';
import { accumulateHessian, type SparseBins } from './hessian';
import { cholesky, choleskySolve, dot } from './linearAlgebra';

export type { SparseBins } from './hessian';

export interface LogisticFit {
  /** Coefficients, column 0 = intercept (unpenalised). */
  readonly coef: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** The unpenalised Hessian (P×P, lower triangle) last accumulated: a warm start's `hessian`. */
  readonly hessian: Float64Array;
  /** Hessian accumulations done (each a pass over up to `hessianRows` rows). */
  readonly hessianPasses: number;
}

export interface LogisticOptions {
  /** L2 penalty λ on every coefficient but the intercept (on standardised columns). */
  readonly l2?: number;
  readonly maxIterations?: number;
  /** Stop when no coefficient moves more than this. */
  readonly tolerance?: number;
  /** Sparse 0/1 bin columns beside the dense matrix. */
  readonly bins?: SparseBins;
  /** Rows the Hessian is accumulated over (an even sample above this); all by default. */
  readonly hessianRows?: number;
  /** Starting coefficients (a warm start along a path of penalties). */
  readonly start?: Float64Array;
  /** With `start`: the unpenalised Hessian there (the previous fit's `hessian`), used until it goes stale. */
  readonly hessian?: Float64Array;
  /**
   * The Hessian (and its factor) is refreshed when a step is more than this fraction of the one before (default
   * 0.25 with an exact Hessian, 0.7 with a sampled one).
   */
  readonly refresh?: number;
}

/** Linear predictor of row r: dense part plus the row's bin coefficients. */
function etaOf(x: Float64Array, p: number, r: number, beta: Float64Array, bins?: SparseBins): number {
  let eta = 0;
  const o = r * p;
  for (let j = 0; j < p; j++) eta += x[o + j]! * beta[j]!;
  if (bins) for (let t = r * bins.s, e = t + bins.s; t < e; t++) eta += beta[bins.idx[t]!]!;
  return eta;
}

/**
 * L2-regularised logistic regression by Newton's method (IRLS) over a row-major design matrix whose column 0 is the
 * intercept (all ones), optionally with sparse 0/1 bin columns beside it. The penalty keeps separable data, constant
 * columns and the bins (which sum to the intercept per feature) finite. The gradient is always exact, so the fixed
 * point is the exact optimum; the Hessian only shapes the steps, so it is taken over an even sample of rows above
 * `hessianRows`, and kept (with its Cholesky factor) while the steps shrink at least fourfold.
 *
 * Complexity: O(iterations · (n · nnz + min(n, hessianRows) · nnz² + P³)), nnz = p + bins per row.
 *
 * @example
 * fitLogistic(X, y, n, 3, { l2: 1 }).coef // => Float64Array [b0, b1, b2]
 */
export function fitLogistic(
  x: Float64Array,
  y: Uint8Array,
  n: number,
  p: number,
  options: LogisticOptions = {},
): LogisticFit {
  const bins = options.bins;
  if (x.length !== n * p || y.length !== n || (bins && bins.idx.length !== n * bins.s)) {
    throw new InputError(`Design matrix is ${x.length} values for ${n}×${p}, labels ${y.length}`);
  }
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const P = p + (bins?.count ?? 0);
  const stride = Math.max(1, Math.ceil(n / (options.hessianRows ?? Infinity)));
  const refresh = options.refresh ?? (stride > 1 ? 0.7 : 0.25);
  const beta = options.start ? Float64Array.from(options.start) : new Float64Array(P);
  let data = options.hessian && options.start ? options.hessian : null;
  let hessianPasses = 0;
  let factor: Float64Array | null = null;
  let iterations = 0;
  let converged = false;
  let lastMove = Infinity;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const g = gradient(x, y, n, p, beta, bins);
    for (let j = 1; j < P; j++) g[j]! -= l2 * beta[j]!;
    if (factor === null) {
      if (data === null) {
        data = new Float64Array(P * P);
        accumulateHessian(x, n, p, beta, bins, stride, data);
        hessianPasses++;
      }
      factor = cholesky(data, P, l2);
    }
    const step = choleskySolve(factor, g, P);
    let moved = 0;
    for (let j = 0; j < P; j++) {
      beta[j]! += step[j]!;
      moved = Math.max(moved, Math.abs(step[j]!));
    }
    converged = moved < tolerance;
    if (!(moved === moved)) break; // a singular system: stop rather than spin
    // a Hessian is costly: keep it while the steps shrink fast, refresh it when they stall (a sampled Hessian
    // converges linearly whatever its freshness, so it is refreshed only when the steps barely shrink)
    if (moved > refresh * lastMove) factor = data = null;
    lastMove = moved;
  }
  return { coef: beta, iterations, converged, hessian: data ?? new Float64Array(0), hessianPasses };
}

/**
 * Gradient of the log-likelihood (all rows). A row's linear predictor is summed with four partial sums (`dot`): one
 * running sum would wait on the adder's latency for every column.
 */
function gradient(
  x: Float64Array,
  y: Uint8Array,
  n: number,
  p: number,
  beta: Float64Array,
  bins: SparseBins | undefined,
): Float64Array {
  const g = new Float64Array(beta.length);
  const s = bins?.s ?? 0;
  const idx = bins?.idx ?? new Int32Array(0);
  for (let r = 0; r < n; r++) {
    const o = r * p;
    let eta = dot(x, o, beta, 0, p);
    for (let t = r * s, e = t + s; t < e; t++) eta += beta[idx[t]!]!;
    const resid = y[r]! - 1 / (1 + Math.exp(-eta));
    for (let j = 0; j < p; j++) g[j]! += x[o + j]! * resid;
    for (let t = r * s, e = t + s; t < e; t++) g[idx[t]!]! += resid;
  }
  return g;
}

/** P(y = 1) of each row of a design matrix (with its bins, if any). */
export function predictLogistic(
  x: Float64Array,
  n: number,
  p: number,
  coef: Float64Array,
  out = new Float64Array(n),
  bins?: SparseBins,
): Float64Array {
  for (let r = 0; r < n; r++) out[r] = 1 / (1 + Math.exp(-etaOf(x, p, r, coef, bins)));
  return out;
}
