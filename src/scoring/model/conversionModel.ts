import { allocateLeadFeatures, LEAD_FEATURE_COLUMN_NAMES } from '../leadFeatures';
import { fitLogistic, predictLogistic } from './logisticRegression';
import {
  auc,
  brier,
  calibrationTable,
  expectedCalibrationError,
  logLoss,
  type CalibrationBin,
} from './metrics';
import { designMatrix, fitFeatureSpec, type FeatureSpec, type ModelInput } from './modelFeatures';

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
  /** Whether Platt scaling (fitted on a calibration split) is applied. */
  readonly calibrated: boolean;
}

/** A trained conversion model: everything needed to score and to explain, as plain JSON. */
export interface ConversionModel {
  readonly version: string;
  readonly trainedAt: number;
  /** Close dates of the training leads (epoch ms). */
  readonly window: { readonly from: number; readonly to: number };
  readonly spec: FeatureSpec;
  /** Intercept first, then one per spec column. */
  readonly coef: number[];
  readonly platt: { readonly a: number; readonly b: number } | null;
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
  readonly l2?: number;
  /** Cross-validate whatever the size (the CSV backtest); by default only below 2,000 closed leads. */
  readonly kFold?: boolean;
}

export type TrainResult = { readonly model: ConversionModel } | { readonly insufficient: string };

/** Rows `idx` of a model input (copies). */
export function selectRows<T extends ModelInput>(input: T, idx: ArrayLike<number>): T {
  const f = allocateLeadFeatures(idx.length);
  for (const name of LEAD_FEATURE_COLUMN_NAMES) {
    const src = input.features[name];
    const dst = f[name];
    for (let k = 0; k < idx.length; k++) dst[k] = src[idx[k]!]!;
  }
  const extras: Record<string, Float64Array | (string | null)[]> = {};
  for (const [name, col] of Object.entries(input.extras)) {
    extras[name] =
      col instanceof Float64Array
        ? Float64Array.from(idx, (i) => col[i]!)
        : Array.from(idx, (i) => col[i] ?? null);
  }
  const out: Record<string, unknown> = {
    ...(input as ModelInput),
    features: f,
    asOf: Float64Array.from(idx, (i) => input.asOf[i]!),
    extras,
  };
  if ('label' in input)
    out.label = Uint8Array.from(idx, (i) => (input as unknown as TrainingInput).label[i]!);
  return out as T;
}

const logit = (p: number): number => Math.log(Math.max(1e-12, p) / Math.max(1e-12, 1 - p));

function applyPlatt(p: Float64Array, platt: { a: number; b: number } | null): Float64Array {
  if (!platt) return p;
  return p.map((q) => 1 / (1 + Math.exp(-(platt.b + platt.a * logit(q)))));
}

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

function fitOn(input: TrainingInput, l2: number): { spec: FeatureSpec; coef: Float64Array } {
  const spec = fitFeatureSpec(input);
  const { x, n, p } = designMatrix(spec, input);
  return { spec, coef: fitLogistic(x, input.label, n, p, { l2 }).coef };
}

function predictWith(spec: FeatureSpec, coef: Float64Array, input: ModelInput): Float64Array {
  const { x, n, p } = designMatrix(spec, input);
  return predictLogistic(x, n, p, coef);
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

/**
 * Trains the conversion model on closed leads: time-ordered split into fit (oldest 64 %), calibration (next 16 %)
 * and holdout (most recent 20 %); L2 logistic regression on the fit split; Platt scaling fitted on the calibration
 * split and kept only if it lowers that split's log loss; metrics on the holdout; five-fold cross-validated AUC as
 * well when there are fewer than 2,000 closed leads. Below `minWon` won or `minLost` lost leads (40 each, as
 * Dynamics 365 asks) it declines, and the heuristic stays.
 *
 * Complexity: O(iterations · n · p²) for the fit.
 */
export function trainConversionModel(input: TrainingInput, options: TrainOptions): TrainResult {
  const n = input.label.length;
  let won = 0;
  for (const y of input.label) won += y;
  const lost = n - won;
  const minWon = options.minWon ?? 40;
  const minLost = options.minLost ?? 40;
  if (won < minWon || lost < minLost) {
    return {
      insufficient: `${won} won and ${lost} lost closed leads; at least ${minWon} won and ${minLost} lost are needed`,
    };
  }
  const l2 = options.l2 ?? 1;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => input.asOf[a]! - input.asOf[b]!);
  const holdoutStart = Math.floor(n * 0.8);
  const calibStart = Math.floor(holdoutStart * 0.8);
  const fitSet = selectRows(input, order.subarray(0, calibStart));
  const calibSet = selectRows(input, order.subarray(calibStart, holdoutStart));
  const holdout = selectRows(input, order.subarray(holdoutStart));

  const { spec, coef } = fitOn(fitSet, l2);
  let platt: { a: number; b: number } | null = null;
  const calibP = predictWith(spec, coef, calibSet);
  if (calibSet.label.length >= 50) {
    const z = new Float64Array(calibP.length * 2);
    calibP.forEach((q, i) => {
      z[2 * i] = 1;
      z[2 * i + 1] = logit(q);
    });
    const fit = fitLogistic(z, calibSet.label, calibP.length, 2, { l2: 1e-6 });
    const candidate = { a: fit.coef[1]!, b: fit.coef[0]! };
    if (logLoss(applyPlatt(calibP, candidate), calibSet.label) < logLoss(calibP, calibSet.label) - 1e-4)
      platt = candidate;
  }
  const holdoutMetrics = evaluate(applyPlatt(predictWith(spec, coef, holdout), platt), holdout.label);

  let kFold: ModelMetrics['kFold'] = null;
  if (options.kFold || n < 2000) {
    const folds = 5;
    const perm = shuffled(n, 20251014);
    const aucs: number[] = [];
    for (let k = 0; k < folds; k++) {
      const test = perm.filter((_, i) => i % folds === k);
      const train = perm.filter((_, i) => i % folds !== k);
      const tr = selectRows(input, train);
      const te = selectRows(input, test);
      const m = fitOn(tr, l2);
      aucs.push(auc(predictWith(m.spec, m.coef, te), te.label));
    }
    const valid = aucs.filter((a) => a === a);
    const mean = valid.reduce((s, a) => s + a, 0) / Math.max(1, valid.length);
    const std = Math.sqrt(valid.reduce((s, a) => s + (a - mean) ** 2, 0) / Math.max(1, valid.length));
    kFold = { folds, aucMean: mean, aucStd: std };
  }

  return {
    model: {
      version: new Date(options.now).toISOString(),
      trainedAt: options.now,
      window: { from: input.asOf[order[0]!]!, to: input.asOf[order[n - 1]!]! },
      spec,
      coef: Array.from(coef),
      platt,
      metrics: { holdout: holdoutMetrics, kFold, calibrated: platt !== null },
      counts: {
        won,
        lost,
        fit: fitSet.label.length,
        calibration: calibSet.label.length,
        holdout: holdout.label.length,
      },
      l2,
    },
  };
}

/** ConversionProbability (0–100) of each lead under a model. */
export function predictConversion(model: ConversionModel, input: ModelInput): Float64Array {
  return scoreWithModel(model, input).probability;
}

/**
 * ConversionProbability (0–100) of each lead under a model, with the design matrix it came from (the explanation,
 * `explainConversion`, reuses it: building the matrix is the expensive part).
 */
export function scoreWithModel(
  model: ConversionModel,
  input: ModelInput,
): { probability: Float64Array; x: Float64Array; p: number } {
  const { x, n, p } = designMatrix(model.spec, input);
  const coef = Float64Array.from(model.coef);
  const probability = applyPlatt(predictLogistic(x, n, p, coef), model.platt).map(
    (q) => Math.round(q * 10_000) / 100,
  );
  return { probability, x, p };
}

/** Publish gate: a new model replaces the current one if its holdout AUC is at least 95 % of the current one's, or the current one is older than `maxAgeMs`. */
export function shouldPublish(
  candidate: ConversionModel,
  current: ConversionModel | null,
  maxAgeMs: number,
): boolean {
  if (!current) return true;
  if (candidate.trainedAt - current.trainedAt > maxAgeMs) return true;
  const a = candidate.metrics.holdout.auc;
  const b = current.metrics.holdout.auc;
  return !(b === b) || (a === a && a >= 0.95 * b);
}
