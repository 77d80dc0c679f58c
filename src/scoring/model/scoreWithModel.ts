import { modelMatrix } from './binExpansion';
import { applyCalibration } from './calibrate';
import type { ConversionModel } from './conversionModel';
import { predictLogistic, type SparseBins } from './logisticRegression';
import type { ModelInput } from './modelFeatures';

/** ConversionProbability (0–100) of each lead under a model. */
export function predictConversion(model: ConversionModel, input: ModelInput): Float64Array {
  return scoreWithModel(model, input).probability;
}

/**
 * ConversionProbability (0–100, two decimals) of each lead under a model, with the model matrix it came from (the
 * explanation, `explainConversion`, reuses it: building the matrix is the expensive part). Models saved before the
 * bin expansion (no bins, Platt or nothing) score exactly as they did.
 *
 * Complexity: O(n · columns).
 */
export function scoreWithModel(
  model: ConversionModel,
  input: ModelInput,
): { probability: Float64Array; x: Float64Array; p: number; bins: SparseBins | undefined } {
  const { x, n, p, bins } = modelMatrix(model.spec, input);
  const coef = Float64Array.from(model.coef);
  const probability = applyCalibration(predictLogistic(x, n, p, coef, undefined, bins), model).map(
    (q) => Math.round(q * 10_000) / 100,
  );
  return { probability, x, p, bins };
}
