import { modelMatrix } from './binExpansion';
import { applyCalibration } from './calibrate';
import type { ConversionModel } from './conversionModel';
import { predictLogistic } from './logisticRegression';
import type { FeatureSpec, ModelInput } from './modelFeatures';

/** ConversionProbability (0–100) of each lead under a model. */
export function predictConversion(model: ConversionModel, input: ModelInput): Float64Array {
  return scoreWithModel(model, input, false).probability;
}

/**
 * One original feature's push on a lead's conversion log-odds, relative to the average training lead: coefficient ×
 * standardised value, plus, for an expanded numeric feature, its bin's coefficient less the training average of its
 * bins' coefficients (bins are never reported on their own).
 */
export interface ConversionFactor {
  readonly feature: string;
  readonly label: string;
  readonly contribution: number;
}

/**
 * The top three positive and top three negative contributions to each lead's conversion log-odds (relative to the
 * average training lead, since every column is standardised and every bin centred on its training share).
 */
export function explainConversion(model: ConversionModel, input: ModelInput): ConversionFactor[][] {
  return scoreWithModel(model, input, true).factors!;
}

/**
 * For each bin group of the spec (in the order of the sparse index): the dense column of the feature it expands
 * and the training average of its bins' coefficients.
 */
function binGroupCentres(spec: FeatureSpec, coef: Float64Array): { column: number; centre: number }[] {
  const groups: { column: number; centre: number }[] = [];
  const denseIndex = new Map<string, number>();
  let last: string | undefined;
  spec.columns.forEach((c, j) => {
    if (c.kind !== 'bin') {
      denseIndex.set(c.name, j);
      return;
    }
    if (c.lo === null || c.feature !== last)
      groups.push({ column: denseIndex.get(c.feature!) ?? -1, centre: 0 });
    last = c.feature;
    groups[groups.length - 1]!.centre += c.mean * coef[j + 1]!;
  });
  return groups;
}

/**
 * ConversionProbability (0–100) and, when `explain`, the factors of each lead (one per original feature), from one
 * model matrix (a scoring run needs both per chunk; building the matrix is the expensive part). Models saved before
 * the bin expansion (no bins, Platt or nothing) score exactly as they did.
 *
 * Complexity: O(n · columns).
 */
export function scoreWithModel(
  model: ConversionModel,
  input: ModelInput,
  explain: boolean,
): { probability: Float64Array; factors: ConversionFactor[][] | null } {
  const { x, n, p, bins } = modelMatrix(model.spec, input);
  const coef = Float64Array.from(model.coef);
  const probability = applyCalibration(predictLogistic(x, n, p, coef, undefined, bins), model).map(
    (q) => Math.round(q * 10_000) / 100,
  );
  if (!explain) return { probability, factors: null };
  const dense = model.spec.columns.slice(0, p - 1);
  const groups = binGroupCentres(model.spec, coef);
  const factors: ConversionFactor[][] = [];
  const raw = new Float64Array(p - 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p - 1; j++) raw[j] = coef[j + 1]! * x[i * p + j + 1]!;
    if (bins)
      groups.forEach((g, t) => {
        if (g.column >= 0) raw[g.column]! += coef[bins.idx[i * bins.s + t]!]! - g.centre;
      });
    const contributions = dense.map((c, j) => ({
      feature: c.name,
      label: c.label,
      contribution: Math.round(raw[j]! * 1000) / 1000,
    }));
    const up = contributions
      .filter((c) => c.contribution > 0)
      .sort((a, b) => b.contribution - a.contribution)
      .slice(0, 3);
    const down = contributions
      .filter((c) => c.contribution < 0)
      .sort((a, b) => a.contribution - b.contribution)
      .slice(0, 3);
    factors.push([...up, ...down]);
  }
  return { probability, factors };
}
