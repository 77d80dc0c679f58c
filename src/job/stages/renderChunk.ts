import {
  CHURN_RISKS,
  FOLLOW_UP_STATUSES,
  recommendationInputsAt,
  renderRecommendation,
  renderRecommendationsJson,
} from '../../scoring';
import type { FeatureChunk } from '../../store/leadStore';
import type { JobRun } from '../jobRun';
import type { ModelState } from '../prepareModel';
import type { ScoredChunk } from './scoreChunk';

/** A dry subset rerun's per-lead results, recommendation included (nothing is written). */
export function renderDryRunResults(
  run: JobRun,
  chunk: FeatureChunk,
  scored: ScoredChunk,
  model: ModelState,
): void {
  const { scores, conversionFactors } = scored;
  const { scoring } = run.options;
  for (let i = 0; i < scores.leadId.length; i++) {
    const x = recommendationInputsAt(chunk.features, scores, i);
    run.results!.push({
      leadId: scores.leadId[i]!,
      healthScore: x.health,
      velocityScore: x.velocity,
      aiPriority: scores.priority[i]!,
      conversionProbability: x.conversion,
      churnRisk: CHURN_RISKS[x.churnRisk]!,
      followUpStatus: FOLLOW_UP_STATUSES[x.followUpStatus]!,
      overdueDays: x.overdueDays,
      recommendation: {
        ...renderRecommendation(x, run.pp, scoring),
        ...(model.model
          ? {
              conversion: { source: 'model', version: model.model.version },
              conversionFactors: conversionFactors?.[i],
            }
          : { conversion: { source: 'heuristic', note: model.note } }),
      },
    });
  }
}

/** The RecommendationJson text of every lead of a chunk, as written to the lead table. */
export function renderChunkJson(run: JobRun, chunk: FeatureChunk, scored: ScoredChunk): string[] {
  return renderRecommendationsJson(
    chunk.features,
    scored.scores,
    run.options.scoring,
    run.pp,
    scored.extraJson,
  );
}
