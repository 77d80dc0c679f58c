import { binMatrix, expandSpec } from './binExpansion';
import { fitLogistic, predictLogistic } from './logisticRegression';
import { auc } from './metrics';
import { designMatrix } from './designMatrix';
import { fitFeatureSpec, type ModelInput } from './modelFeatures';
import { selectRows } from './selectRows';

export interface ExpansionCandidate {
  readonly bins: number;
  readonly l2: number;
  /** Mean AUC over the validation folds. */
  readonly auc: number;
}

export interface ExpansionChoice {
  readonly bins: number;
  readonly l2: number;
  readonly folds: number;
  /** Leads the cross-validation ran on (an even sample of the fit split above `maxRows`). */
  readonly rows: number;
  readonly grid: ExpansionCandidate[];
}

export interface ExpansionOptions {
  /** Bins per numeric feature to try (0 = linear terms only). */
  readonly bins: readonly number[];
  /** L2 strengths to try. */
  readonly l2: readonly number[];
  readonly folds?: number;
  readonly maxRows?: number;
  readonly hessianRows?: number;
}

/**
 * Chooses the expansion size (bins per numeric feature) and the L2 strength by cross-validation inside the fit
 * split only (the calibration split and the holdout are never seen): the split, in time order, is cut into `folds`
 * contiguous blocks; each block in turn is predicted by a model fitted on the others, for every candidate; the pair
 * with the best mean validation AUC wins. Candidates are visited from the simplest (fewest bins, strongest penalty),
 * and a more complex one must beat the best so far by 0.0005 AUC, so noise does not buy bins. Each penalty path is
 * fitted from the strongest penalty down with warm starts, and each bin count's path starts from the fewest bins'
 * fit at the strongest penalty (its bins at 0). The fits are convex with an exact gradient, so a warm start (and how
 * long a Hessian is kept) changes only how many Newton steps reach the same optimum (within the 1e-3 tolerance), never
 * which one.
 *
 * Complexity: O(folds · |bins| · |l2| · fit).
 */
export function chooseExpansion(
  input: ModelInput & { readonly label: Uint8Array },
  options: ExpansionOptions,
): ExpansionChoice {
  const folds = options.folds ?? 3;
  const n0 = input.label.length;
  const stride = Math.max(1, Math.ceil(n0 / (options.maxRows ?? 6000)));
  const data =
    stride === 1
      ? input
      : selectRows(
          input,
          Int32Array.from({ length: Math.ceil(n0 / stride) }, (_, i) => i * stride),
        );
  const n = data.label.length;
  const binsGrid = [...options.bins].sort((a, b) => a - b);
  const l2Grid = [...options.l2].sort((a, b) => b - a);
  const sums = binsGrid.map(() => l2Grid.map(() => 0));
  for (let k = 0; k < folds; k++) {
    const from = Math.floor((k * n) / folds);
    const to = Math.floor(((k + 1) * n) / folds);
    const trainIdx = Int32Array.from({ length: n - (to - from) }, (_, i) => (i < from ? i : i + to - from));
    const testIdx = Int32Array.from({ length: to - from }, (_, i) => from + i);
    const train = selectRows(data, trainIdx);
    const test = selectRows(data, testIdx);
    const base = fitFeatureSpec(train);
    const trX = designMatrix(base, train); // the dense part does not depend on the bins
    const teX = designMatrix(base, test);
    const sorted = new Map<string, Float64Array>(); // each column's sorted values, for every bin count's cuts
    // the fold's fit with the fewest bins at the strongest penalty: the next bin count's path starts from its
    // dense coefficients with every bin at 0 (a strong penalty keeps the bins small, so that is close)
    let coarsest: Float64Array | undefined;
    binsGrid.forEach((b, bi) => {
      const spec = expandSpec(base, train, b, sorted);
      const tr = { ...trX, bins: binMatrix(spec, train, trX.p) };
      const te = { ...teX, bins: binMatrix(spec, test, teX.p) };
      let start: Float64Array | undefined;
      if (coarsest) {
        start = new Float64Array(tr.p + (tr.bins?.count ?? 0));
        start.set(coarsest.subarray(0, tr.p));
      }
      let hessian: Float64Array | undefined;
      l2Grid.forEach((l2, li) => {
        const fit = fitLogistic(tr.x, train.label, tr.n, tr.p, {
          l2,
          bins: tr.bins,
          start,
          hessian,
          hessianRows: options.hessianRows,
          tolerance: 1e-3, // the candidates are only ranked: it moves a validation AUC by ~1e-5, the margin is 5e-4
          // the exact Hessian of the previous penalty (or of the linear fit) is kept until a step fails to halve the
          // one before: a stale Hessian costs a few cheap gradient steps, a fresh one a pass over every row and pair
          refresh: 0.5,
        });
        if (li === 0 && coarsest === undefined) coarsest = fit.coef;
        start = fit.coef;
        hessian = fit.hessian.length ? fit.hessian : undefined;
        sums[bi]![li]! += auc(predictLogistic(te.x, te.n, te.p, fit.coef, undefined, te.bins), test.label);
      });
    });
  }
  const grid: ExpansionCandidate[] = [];
  let best: ExpansionCandidate | null = null;
  binsGrid.forEach((bins, bi) =>
    l2Grid.forEach((l2, li) => {
      const c = { bins, l2, auc: sums[bi]![li]! / folds };
      grid.push(c);
      if (best === null || c.auc > best.auc + 0.0005) best = c;
    }),
  );
  const chosen = best ?? { bins: 0, l2: 1, auc: NaN };
  return { bins: chosen.bins, l2: chosen.l2, folds, rows: n, grid };
}
