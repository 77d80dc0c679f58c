import {
  CHURN_RISKS,
  FOLLOW_UP_STATUSES,
  scoreLeads,
  explainConversion,
  scoreWithModel,
  type ConversionFactor,
  type LeadScoreBatch,
} from '../../scoring';
import type { FeatureChunk } from '../../store/leadStore';
import type { JobRun } from '../jobRun';
import type { ModelState } from '../prepareModel';

export interface ScoredChunk {
  readonly scores: LeadScoreBatch;
  /** The conversion part of each lead's RecommendationJson: one text for the heuristic, one per lead for a model. */
  readonly extraJson: string | string[];
  readonly conversionFactors: ConversionFactor[][] | undefined;
}

/** Scores one chunk with the pure core (the learned conversion model first, when there is one) and counts the classes. */
export function scoreChunk(run: JobRun, chunk: FeatureChunk, model: ModelState): ScoredChunk {
  const n = chunk.features.leadId.length;
  let conversion: Float64Array | undefined;
  let extraJson: string | string[] =
    `"conversion":${JSON.stringify({ source: 'heuristic', note: model.note })}`;
  let conversionFactors: ConversionFactor[][] | undefined;
  if (model.model) {
    const input = {
      features: chunk.features,
      asOf: new Float64Array(n).fill(run.asOf),
      extras: chunk.extras,
    };
    const scored = scoreWithModel(model.model, input);
    conversion = scored.probability;
    const scores = scoreLeads(chunk.features, run.asOf, run.options.scoring, { conversion });
    conversionFactors = explainConversion(
      model.model,
      input,
      scored,
      scores,
      chunk.features.estimatedValue,
      run.pp,
    );
    const head = `"conversion":${JSON.stringify({ source: 'model', version: model.model.version })},"conversionFactors":`;
    extraJson = conversionFactors.map((f) => head + JSON.stringify(f));
    return count(run, scores, extraJson, conversionFactors);
  }
  const scores = scoreLeads(chunk.features, run.asOf, run.options.scoring, { conversion });
  return count(run, scores, extraJson, conversionFactors);
}

function count(
  run: JobRun,
  scores: LeadScoreBatch,
  extraJson: string | string[],
  conversionFactors: ConversionFactor[][] | undefined,
): ScoredChunk {
  const n = scores.leadId.length;
  const { summary } = run;
  for (let i = 0; i < n; i++) {
    summary.churnRisk[CHURN_RISKS[scores.churnRisk[i]!]!]++;
    summary.followUpStatus[FOLLOW_UP_STATUSES[scores.followUpStatus[i]!]!]++;
  }
  summary.leadsScored += n;
  return { scores, extraJson, conversionFactors };
}
