import { app, type HttpResponseInit } from '@azure/functions';
import { Cron } from 'croner';
import type { AppConfig } from '../config/loadConfig';
import type { ModelRegistry, RunLog, RunRecord } from '../store/leadStore';
import { appDeps } from './shared/appContext';
import { expectedErrorResponse } from './shared/httpErrors';

/** What the overview needs of the app: the run log, the model registry, the schedule and the model policy. */
type OverviewDeps = {
  readonly store: RunLog & ModelRegistry;
  readonly config: Pick<AppConfig, 'schedule' | 'model'>;
};

/** The next time the scoring timer fires after `now` (NCRONTAB with seconds, UTC as the Functions host reads it). */
export function nextScheduledRun(schedule: string, now: number): string | null {
  return new Cron(schedule, { timezone: 'UTC', paused: true }).nextRun(new Date(now))?.toISOString() ?? null;
}

/** The conversion model's card: which source scores conversion now, and what the registry knows about the model. */
async function modelCard(store: ModelRegistry, config: OverviewDeps['config'], lastRun: RunRecord | null) {
  const [model, attempt] = await Promise.all([store.latestPublishedModel(), store.lastModelAttempt()]);
  const summary = lastRun?.summary as
    { readonly conversionSource?: unknown; readonly conversionNote?: unknown } | null | undefined;
  const source =
    summary?.conversionSource === 'model' || summary?.conversionSource === 'heuristic'
      ? summary.conversionSource
      : model
        ? 'model'
        : 'heuristic';
  return {
    source,
    note: typeof summary?.conversionNote === 'string' ? summary.conversionNote : (attempt?.note ?? null),
    minWon: config.model.minWon,
    minLost: config.model.minLost,
    lastAttemptAt: attempt ? new Date(attempt.trainedAt).toISOString() : null,
    published: model
      ? {
          version: model.version,
          trainedAt: new Date(model.trainedAt).toISOString(),
          won: model.counts.won,
          lost: model.counts.lost,
          holdout: {
            n: model.metrics.holdout.n,
            auc: model.metrics.holdout.auc,
            brier: model.metrics.holdout.brier,
            calibration: model.metrics.holdout.calibration,
          },
          calibrated: model.metrics.calibrated,
        }
      : null,
  };
}

/**
 * GET /api/scoring/overview — what the board's header shows: the latest run (lead_scoring_runs), the next run of
 * the timer's schedule, and the conversion model's card (source, holdout AUC and calibration bins of the published
 * model, its won/lost closed leads against the MODEL_MIN_WON/MODEL_MIN_LOST minimum, the last training note).
 */
export function createScoringOverviewHttp(
  deps: () => OverviewDeps | Promise<OverviewDeps> = appDeps,
  now: () => number = Date.now,
) {
  return async function scoringOverviewHttp(): Promise<HttpResponseInit> {
    try {
      const { store, config } = await deps();
      const [lastRun = null] = await store.listRuns(1);
      return {
        status: 200,
        jsonBody: {
          lastRun,
          schedule: config.schedule,
          nextRunAt: nextScheduledRun(config.schedule, now()),
          model: await modelCard(store, config, lastRun),
        },
      };
    } catch (e) {
      return expectedErrorResponse(e);
    }
  };
}

export const scoringOverviewHttp = createScoringOverviewHttp();

app.http('scoringOverviewHttp', {
  methods: ['GET'],
  route: 'scoring/overview',
  authLevel: 'function',
  handler: scoringOverviewHttp,
});
