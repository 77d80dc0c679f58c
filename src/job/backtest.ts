import {
  auc,
  brier,
  fitFeatureSpec,
  naiveBayesBaseline,
  selectRows,
  trainConversionModel,
  type ConversionModel,
  type TrainingInput,
} from '../scoring';

export interface BacktestReport {
  readonly leads: number;
  readonly won: number;
  readonly lost: number;
  readonly model: ConversionModel | null;
  readonly insufficient: string | null;
  /** Naive Bayes over field frequencies, fitted on the same older 80 % and scored on the same holdout. */
  readonly baseline: { readonly auc: number; readonly brier: number } | null;
  /** AUC of the generator's true probabilities on the holdout (synthetic databases only). */
  readonly oracleAuc: number | null;
  /**
   * The model as it was before the bin expansion (linear terms only, λ = 1), trained and calibrated the same way on
   * the same split: what the expansion buys.
   */
  readonly linearOnly: { readonly auc: number; readonly ece: number } | null;
  /** What the holdout's "most recent" means here (a time column, close dates, or row order). */
  readonly timeOrder: string;
  /** The strongest coefficients (by absolute size), on standardised columns and 0/1 bins. */
  readonly strongest: { readonly feature: string; readonly label: string; readonly coefficient: number }[];
}

/**
 * Trains and evaluates exactly as a scoring run would (time-ordered holdout of the most recent 20 %, k-fold on small
 * sets), and adds the comparisons a team needs to judge the model: a plain baseline, the linear-only model and,
 * when the data is synthetic, the oracle AUC of the true probabilities on the same holdout.
 */
export function backtest(
  input: TrainingInput,
  options: {
    now: number;
    minWon?: number;
    minLost?: number;
    kFold?: boolean;
    trueProbability?: (leadId: number) => number | undefined;
    /** Default: close dates. */
    timeOrder?: string;
  },
): BacktestReport {
  const timeOrder = options.timeOrder ?? 'close date';
  const n = input.label.length;
  let won = 0;
  for (const y of input.label) won += y;
  const result = trainConversionModel(input, {
    now: options.now,
    minWon: options.minWon,
    minLost: options.minLost,
    kFold: options.kFold,
  });
  if (!('model' in result)) {
    return {
      leads: n,
      won,
      lost: n - won,
      model: null,
      insufficient: result.insufficient,
      baseline: null,
      oracleAuc: null,
      linearOnly: null,
      timeOrder,
      strongest: [],
    };
  }
  const model = result.model;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => input.asOf[a]! - input.asOf[b]!);
  const holdoutStart = Math.floor(n * 0.8);
  const older = selectRows(input, order.subarray(0, holdoutStart));
  const holdout = selectRows(input, order.subarray(holdoutStart));
  const nb = naiveBayesBaseline(fitFeatureSpec(older), older, holdout);
  let oracleAuc: number | null = null;
  if (options.trueProbability) {
    const truth = Float64Array.from(holdout.features.leadId, (id) => options.trueProbability!(id) ?? NaN);
    if (truth.every((t) => t === t)) oracleAuc = auc(truth, holdout.label);
  }
  const linear = trainConversionModel(input, {
    now: options.now,
    minWon: options.minWon,
    minLost: options.minLost,
    bins: [0],
    l2: 1,
  });
  const linearOnly =
    'model' in linear
      ? { auc: linear.model.metrics.holdout.auc, ece: linear.model.metrics.holdout.ece }
      : null;
  const strongest = model.spec.columns
    .map((c, j) => ({ feature: c.name, label: c.label, coefficient: model.coef[j + 1]! }))
    .sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient))
    .slice(0, 10);
  return {
    leads: n,
    won,
    lost: n - won,
    model,
    insufficient: null,
    baseline: { auc: auc(nb, holdout.label), brier: brier(nb, holdout.label) },
    oracleAuc,
    linearOnly,
    timeOrder,
    strongest,
  };
}
