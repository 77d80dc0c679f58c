import { binMatrix, expandSpec, matrixRows, modelMatrix, type ModelMatrix } from './binExpansion';
import { applyCalibration, chooseCalibration, type CalibrationKind, type Isotonic } from './calibrate';
import { chooseExpansion, type ExpansionChoice } from './chooseExpansion';
import { fitLogistic, predictLogistic } from './logisticRegression';
import {
  auc,
  brier,
  calibrationTable,
  expectedCalibrationError,
  logLoss,
  type CalibrationBin,
} from './metrics';
import { fitFeatureSpec, withBaseValues, type FeatureSpec, type ModelInput } from './modelFeatures';
import { designMatrix } from './designMatrix';
import { naiveBayesOnMatrices } from './naiveBayes';
import { rowRange, selectRows } from './selectRows';

export interface EvaluationMetrics {
  readonly n: number;
  readonly auc: number;
  readonly brier: number;
  readonly logLoss: number;
  readonly ece: number;
  readonly calibration: CalibrationBin[];
}

export interface ModelMetrics {
  /** The most recent 20 % of closed leads, never seen in fitting. */
  readonly holdout: EvaluationMetrics;
  /** Five-fold cross-validated AUC, for small histories (fewer than 2,000 closed leads). */
  readonly kFold: { readonly folds: number; readonly aucMean: number; readonly aucStd: number } | null;
  /** Whether a calibration map (fitted on the calibration split) is applied. */
  readonly calibrated: boolean;
  /** Which one, chosen by the calibration split's cross-validated log loss (absent in models before issue 16). */
  readonly calibration?: CalibrationKind;
  readonly calibrationLogLoss?: Readonly<Record<CalibrationKind, number>>;
  /** The cross-validated choice of bins and L2 strength inside the fit split (absent before issue 16). */
  readonly selection?: ExpansionChoice;
  /**
   * The publish gate's comparisons on this model's own holdout: naive Bayes fitted on the same older 80 %, and the
   * model that was published when this one was trained (null: none, or it could not score these leads).
   */
  readonly gate?: { readonly baselineAuc: number; readonly currentAuc: number | null };
}

/** A trained conversion model: everything needed to score and to explain, as plain JSON. */
export interface ConversionModel {
  readonly version: string;
  readonly trainedAt: number;
  /** Close dates of the training leads (epoch ms). */
  readonly window: { readonly from: number; readonly to: number };
  readonly spec: FeatureSpec;
  /** Intercept first, then one per spec column (bins last). */
  readonly coef: number[];
  readonly platt: { readonly a: number; readonly b: number } | null;
  /** Isotonic calibration map, when chosen over Platt (absent in models before issue 16). */
  readonly isotonic?: Isotonic | null;
  readonly metrics: ModelMetrics;
  readonly counts: {
    readonly won: number;
    readonly lost: number;
    readonly fit: number;
    readonly calibration: number;
    readonly holdout: number;
  };
  readonly l2: number;
}

export interface TrainingInput extends ModelInput {
  /** 1 = won, 0 = lost. `asOf` is each lead's close date. */
  readonly label: Uint8Array;
}

export interface TrainOptions {
  readonly now: number;
  readonly minWon?: number;
  readonly minLost?: number;
  /** A fixed L2 strength; by default chosen by cross-validation from `l2Grid`. */
  readonly l2?: number;
  readonly l2Grid?: readonly number[];
  /** Bins per numeric feature to choose from by cross-validation (default 0, 4, 8, 16; [0] = the linear-only model). */
  readonly bins?: readonly number[];
  /** The published model, scored on the new model's holdout for the publish gate. */
  readonly current?: ConversionModel | null;
  /** Rows the Newton Hessian is accumulated over in the final fit (default 8,000; the gradient uses all). */
  readonly hessianRows?: number;
  /** Cross-validate whatever the size (the CSV backtest); by default only below 2,000 closed leads. */
  readonly kFold?: boolean;
}

export type TrainResult = { readonly model: ConversionModel } | { readonly insufficient: string };

const DEFAULT_BINS = [0, 4, 8, 16];
const DEFAULT_L2 = [1, 10, 100];

function evaluate(p: Float64Array, y: Uint8Array): EvaluationMetrics {
  return {
    n: p.length,
    auc: auc(p, y),
    brier: brier(p, y),
    logLoss: logLoss(p, y),
    ece: expectedCalibrationError(p, y),
    calibration: calibrationTable(p, y),
  };
}

interface Fitted {
  readonly spec: FeatureSpec;
  readonly coef: Float64Array;
}

function fitOn(
  input: TrainingInput,
  bins: number,
  l2: number,
  hessianRows?: number,
  base: FeatureSpec = fitFeatureSpec(input),
): Fitted {
  const spec = expandSpec(base, input, bins);
  const m = modelMatrix(spec, input);
  return { spec, coef: fitLogistic(m.x, input.label, m.n, m.p, { l2, bins: m.bins, hessianRows }).coef };
}

/** Uncalibrated P(won) of each lead under a fitted spec and coefficients. */
export function rawProbability(spec: FeatureSpec, coef: ArrayLike<number>, input: ModelInput): Float64Array {
  const m = modelMatrix(spec, input);
  return predictLogistic(m.x, m.n, m.p, Float64Array.from(coef), undefined, m.bins);
}

/** The model matrix under `spec` of leads whose dense part is already encoded (`designMatrix` of the base spec). */
function withBins(
  spec: FeatureSpec,
  input: ModelInput,
  dense: { x: Float64Array; n: number; p: number },
): ModelMatrix {
  return { ...dense, bins: binMatrix(spec, input, dense.p) };
}

const predictOn = (m: ModelMatrix, coef: Float64Array): Float64Array =>
  predictLogistic(m.x, m.n, m.p, coef, undefined, m.bins);

/** Indices by ascending close date (ties in input order); no sort when the leads already come in that order. */
function timeOrder(asOf: Float64Array): Int32Array {
  const order = Int32Array.from({ length: asOf.length }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < asOf.length && sorted; i++) sorted = asOf[i - 1]! <= asOf[i]!;
  return sorted ? order : order.sort((a, b) => asOf[a]! - asOf[b]!);
}

/** Seeded shuffle (for the k folds), so a backtest is repeatable. */
function shuffled(n: number, seed: number): Int32Array {
  const a = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** k-fold AUC over all closed leads (shuffled), with the chosen bins and penalty. */
function kFoldAuc(input: TrainingInput, bins: number, l2: number): NonNullable<ModelMetrics['kFold']> {
  const n = input.label.length;
  const folds = 5;
  const perm = shuffled(n, 20251014);
  const aucs: number[] = [];
  for (let k = 0; k < folds; k++) {
    const tr = selectRows(
      input,
      perm.filter((_, i) => i % folds !== k),
    );
    const te = selectRows(
      input,
      perm.filter((_, i) => i % folds === k),
    );
    const m = fitOn(tr, bins, l2);
    aucs.push(auc(rawProbability(m.spec, m.coef, te), te.label));
  }
  const valid = aucs.filter((a) => a === a);
  const mean = valid.reduce((s, a) => s + a, 0) / Math.max(1, valid.length);
  const std = Math.sqrt(valid.reduce((s, a) => s + (a - mean) ** 2, 0) / Math.max(1, valid.length));
  return { folds, aucMean: mean, aucStd: std };
}

/** The published model's AUC on these leads, or null when there is none or it cannot score them. */
function currentAucOn(current: ConversionModel | null | undefined, holdout: TrainingInput): number | null {
  if (!current) return null;
  try {
    const p = applyCalibration(rawProbability(current.spec, current.coef, holdout), current);
    const a = auc(p, holdout.label);
    return a === a ? a : null;
  } catch {
    return null; // a model whose encoding no longer fits the data: the gate falls back to its recorded AUC
  }
}

/** Won and lost counts, or why they are too few. */
function countOutcomes(
  label: Uint8Array,
  minWon: number,
  minLost: number,
): { won: number; lost: number; why: string | null } {
  let won = 0;
  for (const y of label) won += y;
  const lost = label.length - won;
  const why =
    won < minWon || lost < minLost
      ? `${won} won and ${lost} lost closed leads; at least ${minWon} won and ${minLost} lost are needed`
      : null;
  return { won, lost, why };
}

/**
 * Trains the conversion model on closed leads: time-ordered split into fit (oldest 64 %), calibration (next 16 %)
 * and holdout (most recent 20 %). On the fit split, the bins per numeric feature and the L2 strength are chosen by
 * cross-validation inside it (`chooseExpansion`), then the L2 logistic regression with that quantile-bin expansion is
 * fitted on the whole fit split. The calibration map (none, Platt or isotonic) is chosen on the calibration split
 * (`chooseCalibration`). Metrics on the holdout, with the naive-Bayes baseline and the published model on the same
 * holdout for the publish gate; five-fold cross-validated AUC as well below 2,000 closed leads (or when asked).
 * Below `minWon` won or `minLost` lost leads (40 each, as Dynamics 365 asks) it declines, and the heuristic stays.
 *
 * Complexity: O(grid · folds · fit) for the choice, one fit after it; a fit is O(iterations · n · nnz) plus the
 * Hessian over at most `hessianRows` rows.
 */
export function trainConversionModel(input: TrainingInput, options: TrainOptions): TrainResult {
  const n = input.label.length;
  const { won, lost, why } = countOutcomes(input.label, options.minWon ?? 40, options.minLost ?? 40);
  if (why) return { insufficient: why };
  const order = timeOrder(input.asOf);
  const holdoutStart = Math.floor(n * 0.8);
  const calibStart = Math.floor(holdoutStart * 0.8);
  // one copy in time order, its standard features worked out once; the splits are views of it
  const ordered = withBaseValues(selectRows(input, order));
  const fitSet = rowRange(ordered, 0, calibStart);
  const calibSet = rowRange(ordered, calibStart, holdoutStart);
  const holdout = rowRange(ordered, holdoutStart, n);

  const selection = chooseExpansion(fitSet, {
    bins: options.bins ?? DEFAULT_BINS,
    l2: options.l2 !== undefined ? [options.l2] : (options.l2Grid ?? DEFAULT_L2),
    hessianRows: Infinity, // the folds are small; an exact Hessian converges in far fewer passes
  });
  const fitBase = fitFeatureSpec(fitSet); // the final fit's encoding, and the naive-Bayes baseline's (learnt once)
  const spec = expandSpec(fitBase, fitSet, selection.bins);
  // the fit and calibration splits (the "older 80 %") encoded once: rows are encoded independently of each other
  const olderSet = rowRange(ordered, 0, holdoutStart);
  const older = withBins(spec, olderSet, designMatrix(fitBase, olderSet));
  const holdoutM = withBins(spec, holdout, designMatrix(fitBase, holdout));
  const fitM = matrixRows(older, 0, calibStart);
  const coef = fitLogistic(fitM.x, fitSet.label, fitM.n, fitM.p, {
    l2: selection.l2,
    bins: fitM.bins,
    hessianRows: options.hessianRows ?? 8000,
  }).coef;
  const cal = chooseCalibration(predictOn(matrixRows(older, calibStart, holdoutStart), coef), calibSet.label);
  const holdoutMetrics = evaluate(applyCalibration(predictOn(holdoutM, coef), cal), holdout.label);
  const baselineAuc = auc(naiveBayesOnMatrices(older, olderSet.label, holdoutM), holdout.label);
  const kFold = options.kFold || n < 2000 ? kFoldAuc(input, selection.bins, selection.l2) : null;

  return {
    model: {
      version: new Date(options.now).toISOString(),
      trainedAt: options.now,
      window: { from: input.asOf[order[0]!]!, to: input.asOf[order[n - 1]!]! },
      spec,
      coef: Array.from(coef),
      platt: cal.platt,
      isotonic: cal.isotonic,
      metrics: {
        holdout: holdoutMetrics,
        kFold,
        calibrated: cal.kind !== 'none',
        calibration: cal.kind,
        calibrationLogLoss: cal.logLoss,
        selection,
        gate: { baselineAuc, currentAuc: currentAucOn(options.current, holdout) },
      },
      counts: {
        won,
        lost,
        fit: fitSet.label.length,
        calibration: calibSet.label.length,
        holdout: holdout.label.length,
      },
      l2: selection.l2,
    },
  };
}
