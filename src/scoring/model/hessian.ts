import { dot } from './linearAlgebra';

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

/**
 * Hessian (lower triangle, P×P) of the log-likelihood over every `stride`-th row, scaled to the full n: the rows
 * are time-ordered, so a stride is an even sample. The sampled rows are copied column by column, so each dense
 * entry is one dot product over contiguous columns held in registers (not a read-modify-write of the P×P matrix
 * per row, which for P in the hundreds no longer stays in cache), two entries of a row at a time. A row's bins are
 * its only non-zero sparse columns, one per expanded feature: a bin–dense block row is the sum of w·x over the rows
 * in that bin, added row by row (a contiguous p-long axpy per row and bin); a bin–bin entry is the sum of w over the
 * rows in both bins (within one feature, a row is in exactly one bin, so that block is diagonal).
 */
export function accumulateHessian(
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
  denseBlock(cols, w, m, p, P, scale, h);
  if (s === 0) return;
  const g = new Float64Array((P - p) * p); // per bin b ≥ p: Σ w·x over its rows, at (b − p)·p
  for (let i = 0, r = 0; i < m; i++, r += stride) {
    const wi = w[i]!;
    const o = r * p;
    for (let t = i * s, e = t + s; t < e; t++) {
      const gb = (idx[t]! - p) * p;
      for (let j = 0; j < p; j++) g[gb + j]! += wi * x[o + j]!;
    }
  }
  for (let b = p; b < P; b++) for (let j = 0; j < p; j++) h[b * P + j]! += scale * g[(b - p) * p + j]!;
  for (let i = 0; i < m; i++) {
    const wi = scale * w[i]!;
    for (let t = i * s, e = t + s; t < e; t++) {
      const base = idx[t]! * P; // ascending within the row: the lower triangle
      for (let u = i * s; u <= t; u++) h[base + idx[u]!]! += wi;
    }
  }
}

/**
 * The dense block of the Hessian: entry (j, k), k ≤ j, += scale · Σ_i w_i·x_ij·x_ik, over the column-major `cols`
 * (m rows). Two entries (j, k), (j, k + 1) per sweep over the rows, each with four partial sums (one running sum
 * waits on the adder's latency every step), so w·x_j is loaded once for both.
 */
function denseBlock(
  cols: Float64Array,
  w: Float64Array,
  m: number,
  p: number,
  P: number,
  scale: number,
  h: Float64Array,
): void {
  const wx = new Float64Array(m);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < m; i++) wx[i] = w[i]! * cols[j * m + i]!;
    const base = j * P;
    let k = 0;
    for (; k < j; k += 2) {
      const a = k * m;
      const c = a + m;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      let i = 0;
      for (; i + 3 < m; i += 4) {
        const w0 = wx[i]!;
        const w1 = wx[i + 1]!;
        const w2 = wx[i + 2]!;
        const w3 = wx[i + 3]!;
        s0 += w0 * cols[a + i]!;
        s1 += w1 * cols[a + i + 1]!;
        s2 += w2 * cols[a + i + 2]!;
        s3 += w3 * cols[a + i + 3]!;
        t0 += w0 * cols[c + i]!;
        t1 += w1 * cols[c + i + 1]!;
        t2 += w2 * cols[c + i + 2]!;
        t3 += w3 * cols[c + i + 3]!;
      }
      for (; i < m; i++) {
        s0 += wx[i]! * cols[a + i]!;
        t0 += wx[i]! * cols[c + i]!;
      }
      h[base + k]! += scale * (s0 + s1 + (s2 + s3));
      h[base + k + 1]! += scale * (t0 + t1 + (t2 + t3));
    }
    if (k === j) h[base + j]! += scale * dot(wx, 0, cols, j * m, m);
  }
}
