/** Quality measures of predicted probabilities against 0/1 outcomes. Pure; O(n log n) at most. */

/**
 * Area under the ROC curve: the probability that a random positive is ranked above a random negative (ties count
 * one half). NaN when one class is absent.
 *
 * @example auc(Float64Array.of(0.1, 0.4, 0.35, 0.8), Uint8Array.of(0, 0, 1, 1)) // => 0.75
 */
export function auc(p: Float64Array, y: Uint8Array): number {
  const n = p.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a]! - p[b]!);
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && p[order[j + 1]!] === p[order[i]!]) j++;
    const avgRank = (i + j + 2) / 2; // ranks are 1-based
    for (let k = i; k <= j; k++) {
      if (y[order[k]!] === 1) {
        rankSumPos += avgRank;
        pos++;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Mean squared error of the probabilities.
 *
 * @example brier(Float64Array.of(0.9, 0.2), Uint8Array.of(1, 0)) // => 0.025
 */
export function brier(p: Float64Array, y: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i]! - y[i]!) ** 2;
  return p.length ? s / p.length : NaN;
}

/**
 * Mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15].
 *
 * @example logLoss(Float64Array.of(0.5, 0.5), Uint8Array.of(1, 0)) // => 0.6931…
 */
export function logLoss(p: Float64Array, y: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]!));
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return p.length ? s / p.length : NaN;
}

export interface CalibrationBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanPredicted: number | null;
  readonly observedRate: number | null;
}

/** Ten equal-width bins of predicted probability with the observed outcome rate in each. */
export function calibrationTable(p: Float64Array, y: Uint8Array, bins = 10): CalibrationBin[] {
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i]! * bins)));
    count[b]!++;
    sumP[b]! += p[i]!;
    sumY[b]! += y[i]!;
  }
  return Array.from({ length: bins }, (_, b) => ({
    from: b / bins,
    to: (b + 1) / bins,
    count: count[b]!,
    meanPredicted: count[b] ? sumP[b]! / count[b] : null,
    observedRate: count[b] ? sumY[b]! / count[b] : null,
  }));
}

/**
 * Expected calibration error: the count-weighted mean gap between predicted and observed rates over the bins.
 *
 * @example expectedCalibrationError(Float64Array.of(0.25, 0.25, 0.25, 0.25), Uint8Array.of(0, 0, 0, 1)) // => 0
 */
export function expectedCalibrationError(p: Float64Array, y: Uint8Array, bins = 10): number {
  let e = 0;
  for (const b of calibrationTable(p, y, bins))
    if (b.count) e += (b.count / p.length) * Math.abs(b.observedRate! - b.meanPredicted!);
  return e;
}
