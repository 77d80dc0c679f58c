import type { ConversionModel } from './conversionModel';

/** How far below the naive-Bayes baseline (holdout AUC) a model may be and still be published: holdout noise. */
export const BASELINE_TOLERANCE = 0.01;

/**
 * Publish gate: a new model is refused when its holdout AUC is more than 0.01 below the naive-Bayes baseline's on
 * the same holdout; otherwise it replaces the current one if there is none, if the current one is older than
 * `maxAgeMs`, or if its holdout AUC is at least 95 % of the current model's AUC on the same holdout (the current
 * model's recorded AUC, on its own older holdout, when it could not be scored on the new one).
 *
 * @example publishDecision(candidate, null, 30 * 86_400_000) // => { publish: true, reason: 'no model is published' }
 */
export function publishDecision(
  candidate: ConversionModel,
  current: ConversionModel | null,
  maxAgeMs: number,
): { publish: boolean; reason: string } {
  const a = candidate.metrics.holdout.auc;
  const gate = candidate.metrics.gate;
  const f = (v: number): string => v.toFixed(3);
  if (gate && gate.baselineAuc === gate.baselineAuc && !(a >= gate.baselineAuc - BASELINE_TOLERANCE))
    return {
      publish: false,
      reason: `new holdout AUC ${f(a)} is below the naive-Bayes baseline's ${f(gate.baselineAuc)} on the same holdout`,
    };
  if (!current) return { publish: true, reason: 'no model is published' };
  if (candidate.trainedAt - current.trainedAt > maxAgeMs)
    return { publish: true, reason: `the published model ${current.version} is too old` };
  const sameHoldout = gate?.currentAuc ?? null;
  const b = sameHoldout ?? current.metrics.holdout.auc;
  const where = sameHoldout !== null ? 'on the same holdout' : 'on its own holdout';
  if (!(b === b) || (a === a && a >= 0.95 * b))
    return { publish: true, reason: `holdout AUC ${f(a)} against ${f(b)} for ${current.version} ${where}` };
  return {
    publish: false,
    reason: `new holdout AUC ${f(a)} is below 95 % of ${f(b)} for ${current.version} ${where}`,
  };
}

/** The publish gate's verdict alone (see `publishDecision`). */
export function shouldPublish(
  candidate: ConversionModel,
  current: ConversionModel | null,
  maxAgeMs: number,
): boolean {
  return publishDecision(candidate, current, maxAgeMs).publish;
}
