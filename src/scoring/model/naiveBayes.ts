import { designMatrix, type DesignMatrix } from './designMatrix';
import type { FeatureSpec, ModelInput } from './modelFeatures';

/**
 * The plain baseline a backtest compares against: naive Bayes over field frequencies (what Odoo's lead scoring
 * does), on the same encoded columns — each standardised column cut into its observed distinct values (one-hot and
 * indicator columns) or five quantile bins (numeric ones; cut on an even sample of at most 10,000 rows),
 * Laplace-smoothed.
 *
 * Complexity: O(n · p · log n) to fit, O(n · p) to predict.
 */
export function naiveBayesBaseline(
  spec: FeatureSpec,
  train: ModelInput & { label: Uint8Array },
  test: ModelInput,
): Float64Array {
  return naiveBayesOnMatrices(designMatrix(spec, train), train.label, designMatrix(spec, test));
}

/** The quintile (or distinct-value) cuts of each column but the intercept, on an even sample of at most 10,000 rows. */
function columnCuts(a: DesignMatrix): Float64Array[] {
  const p = a.p;
  const cuts: Float64Array[] = [];
  // sorting every column of a large history whole would cost more than the rest of the baseline
  const stride = Math.max(1, Math.ceil(a.n / 10_000));
  const m = Math.ceil(a.n / stride);
  // the sampled rows copied column by column in one pass over them (not one strided pass per column)
  const columns = Array.from({ length: p }, () => new Float64Array(m));
  for (let i = 0; i < m; i++) for (let j = 1, o = i * stride * p; j < p; j++) columns[j]![i] = a.x[o + j]!;
  for (let j = 1; j < p; j++) {
    const col = columns[j]!;
    // its distinct values (six are enough to know there are more than five; a 0/1 column is not sorted)
    const distinct: number[] = [];
    for (let i = 0; i < m && distinct.length <= 5; i++)
      if (!distinct.includes(col[i]!)) distinct.push(col[i]!);
    if (distinct.length <= 5) cuts.push(Float64Array.from(distinct).sort());
    else {
      col.sort();
      cuts.push(Float64Array.from([0.2, 0.4, 0.6, 0.8], (q) => col[Math.floor(q * (m - 1))]!));
    }
  }
  return cuts;
}

/**
 * `naiveBayesBaseline` on design matrices already encoded with the spec (the training rows `a` with their labels, the
 * rows to score `b`). The cuts, counts and log likelihood ratios of all columns sit in flat arrays (column j's bins
 * from `first[j]`), and each bin's ratio is worked out once, not once per scored row.
 */
export function naiveBayesOnMatrices(a: DesignMatrix, label: Uint8Array, b: DesignMatrix): Float64Array {
  const p = a.p;
  const cuts = columnCuts(a);
  const q = p - 1;
  const cutFrom = new Int32Array(q + 1); // column j's cuts: edge[cutFrom[j] …]
  cuts.forEach((c, j) => (cutFrom[j + 1] = cutFrom[j]! + c.length));
  const edge = new Float64Array(cutFrom[q]!);
  cuts.forEach((c, j) => c.forEach((v, k) => (edge[cutFrom[j]! + k] = v + 1e-12)));
  const first = Int32Array.from({ length: q }, (_, j) => cutFrom[j]! + j); // column j's bins: count[first[j] …]
  // the bin is the number of cuts below v (they ascend), counted without a branch on each (v is where it falls)
  const binOf = (j: number, v: number): number => {
    let k = first[j]!;
    for (let t = cutFrom[j]!, e = cutFrom[j + 1]!; t < e; t++) k += v > edge[t]! ? 1 : 0;
    return k;
  };
  const counts = [new Float64Array(cutFrom[q]! + q), new Float64Array(cutFrom[q]! + q)];
  const classCount = [0, 0];
  for (let i = 0; i < a.n; i++) {
    const y = label[i]!;
    classCount[y]!++;
    const count = counts[y]!;
    for (let j = 0, o = i * p + 1; j < q; j++) count[binOf(j, a.x[o + j]!)]!++;
  }
  const ratio = new Float64Array(cutFrom[q]! + q);
  for (let j = 0; j < q; j++) {
    const k = cuts[j]!.length + 1;
    for (let t = first[j]!; t < first[j]! + k; t++) {
      const like1 = (counts[1]![t]! + 1) / (classCount[1]! + k);
      const like0 = (counts[0]![t]! + 1) / (classCount[0]! + k);
      ratio[t] = Math.log(like1 / like0);
    }
  }
  const out = new Float64Array(b.n);
  const prior = Math.log((classCount[1]! + 1) / (classCount[0]! + 1));
  for (let i = 0; i < b.n; i++) {
    let logOdds = prior;
    for (let j = 0, o = i * p + 1; j < q; j++) logOdds += ratio[binOf(j, b.x[o + j]!)]!;
    out[i] = 1 / (1 + Math.exp(-logOdds));
  }
  return out;
}
