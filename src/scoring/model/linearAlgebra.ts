import { InputError } from '../../errors';

/**
 * A pivot this small relative to its diagonal means the column is a linear combination of the ones before it (a
 * duplicated or constant column with no penalty): rounding leaves ~p·2⁻⁵² of the diagonal there, so 1e-13 is far
 * above that and far below any pivot an independent column, or the smallest penalty in use (1e-6), leaves.
 */
const SINGULAR_PIVOT = 1e-13;

/** The singular-design refusal, for column i. */
function singular(i: number): InputError {
  return new InputError(
    `Design matrix is singular: column ${i} is a linear combination of columns 0–${i - 1} (a duplicated or constant column); drop it or fit with l2 > 0`,
  );
}

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive-definite A (p×p, lower triangle read) with λ added to
 * every diagonal entry but the first (the intercept's); refuses a singular one. Each entry L[i][j] = (A[i][j] −
 * Σ_k L[i][k]·L[j][k]) / L[j][j] needs an inner product of two contiguous rows of L; rows are done two at a time and,
 * left of the diagonal, two columns at a time, so each load of L feeds two products.
 *
 * Complexity: O(p³).
 */
export function cholesky(a: Float64Array, p: number, l2: number): Float64Array {
  const l = new Float64Array(p * p);
  let i = 0;
  for (; i + 1 < p; i += 2) {
    for (let j = 0; j + 1 < i; j += 2) block(a, l, p, i, j);
    finishRow(a, l, p, l2, i, i);
    finishRow(a, l, p, l2, i + 1, i);
  }
  if (i < p) finishRow(a, l, p, l2, i, 0);
  return l;
}

/** L[i…i+1][j…j+1] (j + 1 < i): four inner products over k < j, with two partial sums each. */
function block(a: Float64Array, l: Float64Array, p: number, i: number, j: number): void {
  const oi = i * p; // rows i and h = i + 1, columns j and k = j + 1
  const oh = oi + p;
  const oj = j * p;
  const ok = oj + p;
  let s0 = 0;
  let s1 = 0;
  let t0 = 0;
  let t1 = 0;
  let u0 = 0;
  let u1 = 0;
  let v0 = 0;
  let v1 = 0;
  let k = 0;
  for (; k + 1 < j; k += 2) {
    const r0 = l[oi + k]!;
    const r1 = l[oi + k + 1]!;
    const q0 = l[oh + k]!;
    const q1 = l[oh + k + 1]!;
    const c0 = l[oj + k]!;
    const c1 = l[oj + k + 1]!;
    const d0 = l[ok + k]!;
    const d1 = l[ok + k + 1]!;
    s0 += r0 * c0;
    s1 += r1 * c1;
    t0 += r0 * d0;
    t1 += r1 * d1;
    u0 += q0 * c0;
    u1 += q1 * c1;
    v0 += q0 * d0;
    v1 += q1 * d1;
  }
  if (k < j) {
    s0 += l[oi + k]! * l[oj + k]!;
    t0 += l[oi + k]! * l[ok + k]!;
    u0 += l[oh + k]! * l[oj + k]!;
    v0 += l[oh + k]! * l[ok + k]!;
  }
  const djj = l[oj + j]!;
  const dkj = l[ok + j]!;
  const dkk = l[ok + j + 1]!;
  const lij = (a[oi + j]! - (s0 + s1)) / djj;
  const lhj = (a[oh + j]! - (u0 + u1)) / djj;
  l[oi + j] = lij;
  l[oh + j] = lhj;
  l[oi + j + 1] = (a[oi + j + 1]! - (t0 + t1) - lij * dkj) / dkk;
  l[oh + j + 1] = (a[oh + j + 1]! - (v0 + v1) - lhj * dkj) / dkk;
}

/** Row i of L from column `from` to the diagonal, one entry at a time (the diagonal checked for singularity). */
function finishRow(a: Float64Array, l: Float64Array, p: number, l2: number, i: number, from: number): void {
  const oi = i * p;
  for (let j = from; j <= i; j++) {
    const s = a[oi + j]! + (i === j && i > 0 ? l2 : 0) - dot(l, oi, l, j * p, j);
    if (i !== j) l[oi + j] = s / l[j * p + j]!;
    else if (!(s > SINGULAR_PIVOT * (a[oi + i]! + (i > 0 ? l2 : 0)))) throw singular(i);
    else l[oi + i] = Math.sqrt(s);
  }
}

/** Solves L Lᵀ x = b: forward by rows of L, then back by rows of L as well (Lᵀ's columns), both contiguous. */
export function choleskySolve(l: Float64Array, b: Float64Array, p: number): Float64Array {
  const x = new Float64Array(p);
  for (let i = 0; i < p; i++) x[i] = (b[i]! - dot(l, i * p, x, 0, i)) / l[i * p + i]!;
  for (let i = p - 1; i >= 0; i--) {
    const xi = x[i]! / l[i * p + i]!;
    x[i] = xi;
    for (let k = 0, o = i * p; k < i; k++) x[k]! -= l[o + k]! * xi;
  }
  return x;
}

/** Σ a[ao + i]·b[bo + i] over i < m, with four partial sums: one running sum waits on the adder's latency every step. */
export function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, m: number): number {
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
