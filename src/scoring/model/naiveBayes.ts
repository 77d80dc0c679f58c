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
  for (let j = 1; j < p; j++) {
    const col = new Float64Array(m);
    for (let i = 0; i < m; i++) col[i] = a.x[i * stride * p + j]!;
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
 * rows to score `b`). Each bin's log likelihood ratio is worked out once, not once per scored row.
 */
export function naiveBayesOnMatrices(a: DesignMatrix, label: Uint8Array, b: DesignMatrix): Float64Array {
  const p = a.p;
  const cuts = columnCuts(a);
  const binOf = (j: number, v: number): number => {
    const c = cuts[j - 1]!;
    let k = 0;
    while (k < c.length && v > c[k]! + 1e-12) k++;
    return k;
  };
  const bins = cuts.map((c) => c.length + 1);
  const counts = [0, 1].map(() => bins.map((k) => new Float64Array(k)));
  const classCount = [0, 0];
  for (let i = 0; i < a.n; i++) {
    const y = label[i]!;
    classCount[y]!++;
    for (let j = 1; j < p; j++) counts[y]![j - 1]![binOf(j, a.x[i * p + j]!)]!++;
  }
  const ratio = bins.map((k, j) =>
    Float64Array.from({ length: k }, (_, t) => {
      const like1 = (counts[1]![j]![t]! + 1) / (classCount[1]! + k);
      const like0 = (counts[0]![j]![t]! + 1) / (classCount[0]! + k);
      return Math.log(like1 / like0);
    }),
  );
  const out = new Float64Array(b.n);
  const prior = Math.log((classCount[1]! + 1) / (classCount[0]! + 1));
  for (let i = 0; i < b.n; i++) {
    let logOdds = prior;
    for (let j = 1; j < p; j++) logOdds += ratio[j - 1]![binOf(j, b.x[i * p + j]!)]!;
    out[i] = 1 / (1 + Math.exp(-logOdds));
  }
  return out;
}
