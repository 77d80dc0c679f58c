import { InputError } from '../../errors';

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
}

/**
 * A pivot this small relative to its diagonal means the column is a linear combination of the ones before it (a
 * duplicated or constant column with no penalty): rounding leaves ~p·2⁻⁵² of the diagonal there, so 1e-13 is far
 * above that and far below any pivot an independent column, or the smallest penalty in use (1e-6), leaves.
 */
const SINGULAR_PIVOT = 1e-13;

/** Cholesky factor L (lower, row-major) of a symmetric positive-definite A (p×p, lower triangle read); refuses a
 * singular A. */
function cholesky(a: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      // a[i][j] − Σ_k L[i][k]·L[j][k]: two contiguous rows of L
      const s = a[i * p + j]! - dot(l, i * p, l, j * p, j);
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
  return l;
}

/** Solves L Lᵀ x = b. */
function choleskySolve(l: Float64Array, b: Float64Array, p: number): Float64Array {
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
 * Sparse 0/1 columns beside the dense design matrix: for each row, `s` coefficient indices (each ≥ p, ascending)
 * whose column is 1 for that row (the quantile bin the row falls in, one per expanded feature). The coefficient
 * vector then has `p + count` entries.
 */
export interface SparseBins {
  readonly idx: Int32Array;
  readonly s: number;
  readonly count: number;
}

/** Linear predictor of row r: dense part plus the row's bin coefficients. */
function etaOf(x: Float64Array, p: number, r: number, beta: Float64Array, bins?: SparseBins): number {
  let eta = 0;
  const o = r * p;
  for (let j = 0; j < p; j++) eta += x[o + j]! * beta[j]!;
  if (bins) for (let t = r * bins.s, e = t + bins.s; t < e; t++) eta += beta[bins.idx[t]!]!;
  return eta;
}

/** Σ a[ao + i]·b[bo + i] over i < m, with four partial sums: one running sum waits on the adder's latency every step. */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    s0 += a[ao + i]! * b[bo + i]!;
    s1 += a[ao + i + 1]! * b[bo + i + 1]!;
    s2 += a[ao + i + 2]! * b[bo + i + 2]!;
    s3 += a[ao + i + 3]! * b[bo + i + 3]!;
  }
  for (; i < m; i++) s0 += a[ao + i]! * b[bo + i]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * Hessian (lower triangle, P×P) of the log-likelihood over every `stride`-th row, scaled to the full n: the rows
 * are time-ordered, so a stride is an even sample. The sampled rows are copied column by column, so each dense
 * entry is one dot product over contiguous columns held in registers (not a read-modify-write of the P×P matrix
 * per row, which for P in the hundreds no longer stays in cache). A row's bins are its only non-zero sparse
 * columns, one per expanded feature: a bin–dense entry is the sum of w·x over the rows in that bin, gathered per
 * dense column into a P-long buffer; a bin–bin entry is the sum of w over the rows in both bins (within one
 * feature, a row is in exactly one bin, so that block is diagonal).
 */
function accumulateHessian(
  x: Float64Array,
  n: number,
  p: number,
  beta: Float64Array,
  bins: SparseBins | undefined,
  stride: number,
  h: Float64Array,
): void {
  const s = bins?.s ?? 0;
  const P = p + (bins?.count ?? 0);
  const m = Math.ceil(n / stride);
  const cols = new Float64Array(p * m); // the sampled rows, column-major
  const w = new Float64Array(m);
  const idx = new Int32Array(m * s); // the sampled rows' bins
  for (let i = 0, r = 0; i < m; i++, r += stride) {
    const o = r * p;
    let eta = 0;
    for (let j = 0; j < p; j++) {
      const v = x[o + j]!;
      cols[j * m + i] = v;
      eta += v * beta[j]!;
    }
    for (let t = 0; t < s; t++) {
      const b = bins!.idx[r * s + t]!;
      idx[i * s + t] = b;
      eta += beta[b]!;
    }
    const mu = 1 / (1 + Math.exp(-eta));
    w[i] = Math.max(mu * (1 - mu), 1e-10);
  }
  const scale = n / m;
  const wx = new Float64Array(m);
  const gathered = new Float64Array(P);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < m; i++) wx[i] = w[i]! * cols[j * m + i]!;
    const base = j * P;
    for (let k = 0; k <= j; k++) h[base + k]! += scale * dot(wx, 0, cols, k * m, m);
    if (s === 0) continue;
    gathered.fill(0, p);
    for (let i = 0; i < m; i++) for (let t = i * s, e = t + s; t < e; t++) gathered[idx[t]!]! += wx[i]!;
    for (let b = p; b < P; b++) h[b * P + j]! += scale * gathered[b]!;
  }
  for (let i = 0; i < m; i++) {
    const wi = scale * w[i]!;
    for (let t = i * s, e = t + s; t < e; t++) {
      const base = idx[t]! * P; // ascending within the row: the lower triangle
      for (let u = i * s; u <= t; u++) h[base + idx[u]!]! += wi;
    }
  }
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
      const h = Float64Array.from(data);
      for (let j = 1; j < P; j++) h[j * P + j]! += l2;
      factor = cholesky(h, P);
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
    if (moved > (stride > 1 ? 0.7 : 0.25) * lastMove) factor = data = null;
    lastMove = moved;
  }
  return { coef: beta, iterations, converged, hessian: data ?? new Float64Array(0), hessianPasses };
}

/** Gradient of the log-likelihood (all rows). */
function gradient(
  x: Float64Array,
  y: Uint8Array,
  n: number,
  p: number,
  beta: Float64Array,
  bins: SparseBins | undefined,
): Float64Array {
  const g = new Float64Array(beta.length);
  for (let r = 0; r < n; r++) {
    const resid = y[r]! - 1 / (1 + Math.exp(-etaOf(x, p, r, beta, bins)));
    const o = r * p;
    for (let j = 0; j < p; j++) g[j]! += x[o + j]! * resid;
    if (bins) for (let t = r * bins.s, e = t + bins.s; t < e; t++) g[bins.idx[t]!]! += resid;
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
