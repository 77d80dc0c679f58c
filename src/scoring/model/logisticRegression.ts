import { InputError } from '../../errors';

export interface LogisticFit {
  /** Coefficients, column 0 = intercept (unpenalised). */
  readonly coef: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface LogisticOptions {
  /** L2 penalty λ on every coefficient but the intercept (on standardised columns). */
  readonly l2?: number;
  readonly maxIterations?: number;
  /** Stop when no coefficient moves more than this. */
  readonly tolerance?: number;
}

/**
 * A pivot this small relative to its diagonal means the column is a linear combination of the ones before it (a
 * duplicated or constant column with no penalty): rounding leaves ~p·2⁻⁵² of the diagonal there, so 1e-13 is far
 * above that and far below any pivot an independent column, or the smallest penalty in use (1e-6), leaves.
 */
const SINGULAR_PIVOT = 1e-13;

/** Solves A x = b for a symmetric positive-definite A (p×p, row-major) by Cholesky; refuses a singular A. */
function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!;
      if (i === j) {
        if (!(s > SINGULAR_PIVOT * a[i * p + i]!)) {
          throw new InputError(
            `Design matrix is singular: column ${i} is a linear combination of columns 0–${i - 1} (a duplicated or constant column); drop it or fit with l2 > 0`,
          );
        }
        l[i * p + i] = Math.sqrt(s);
      } else l[i * p + j] = s / l[j * p + j]!;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * z[k]!;
    z[i] = s / l[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * x[k]!;
    x[i] = s / l[i * p + i]!;
  }
  return x;
}

/**
 * L2-regularised logistic regression by Newton's method (IRLS) over a row-major design matrix whose column 0 is the
 * intercept (all ones). The penalty keeps separable data and constant columns finite; the Hessian is accumulated on
 * its lower triangle only.
 *
 * Complexity: O(iterations · n · p²).
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
  if (x.length !== n * p || y.length !== n) {
    throw new InputError(`Design matrix is ${x.length} values for ${n}×${p}, labels ${y.length}`);
  }
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-6;
  const beta = new Float64Array(p);
  const h = new Float64Array(p * p);
  const g = new Float64Array(p);
  const row = new Float64Array(p);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    h.fill(0);
    g.fill(0);
    for (let r = 0; r < n; r++) {
      const o = r * p;
      let eta = 0;
      for (let j = 0; j < p; j++) {
        const v = x[o + j]!;
        row[j] = v; // a contiguous copy: the p² inner loop then runs over two small arrays
        eta += v * beta[j]!;
      }
      const mu = 1 / (1 + Math.exp(-eta));
      const w = Math.max(mu * (1 - mu), 1e-10);
      const resid = y[r]! - mu;
      for (let j = 0; j < p; j++) {
        const xj = row[j]!;
        g[j]! += xj * resid;
        const wxj = w * xj;
        const base = j * p;
        for (let k = 0; k <= j; k++) h[base + k]! += wxj * row[k]!;
      }
    }
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < j; k++) h[k * p + j] = h[j * p + k]!;
      if (j > 0) {
        h[j * p + j]! += l2;
        g[j]! -= l2 * beta[j]!;
      }
    }
    const step = choleskySolve(h, g, p);
    let moved = 0;
    for (let j = 0; j < p; j++) {
      beta[j]! += step[j]!;
      moved = Math.max(moved, Math.abs(step[j]!));
    }
    converged = moved < tolerance;
  }
  return { coef: beta, iterations, converged };
}

/** P(y = 1) of each row of a design matrix. */
export function predictLogistic(
  x: Float64Array,
  n: number,
  p: number,
  coef: Float64Array,
  out = new Float64Array(n),
): Float64Array {
  for (let r = 0; r < n; r++) {
    let eta = 0;
    for (let j = 0; j < p; j++) eta += x[r * p + j]! * coef[j]!;
    out[r] = 1 / (1 + Math.exp(-eta));
  }
  return out;
}
