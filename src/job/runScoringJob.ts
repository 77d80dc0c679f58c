import { randomUUID } from 'node:crypto';
import { RunLockedError } from '../errors';
import {
  scoreWithModel,
  type ConversionFactor,
  CHURN_RISKS,
  FOLLOW_UP_STATUSES,
  MS_PER_DAY,
  priorityParams,
  recommendationInputsAt,
  renderRecommendation,
  renderRecommendationsJson,
  scoreLeads,
  type LeadFeatureBatch,
  type LeadScoreBatch,
  type ScoringConfig,
} from '../scoring';
import {
  addDataIssues,
  type FeatureChunk,
  type LeadStore,
  type RunFinish,
  type RunLock,
  type RunTrigger,
  type SnapshotChunk,
} from '../store/leadStore';
import { prepareModel, type ModelPolicy, type ModelState } from './prepareModel';
import { checkpoint, interruption, startHeartbeat, type Heartbeat } from './runHeartbeat';
import { newRunSummary, runErrorOf, type DryRunLead, type JobStage, type RunSummary } from './runSummary';

/** Where the job writes its progress lines: `console`, an `InvocationContext`, or a test's recorder. */
export interface JobLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Optional hooks for telemetry (spans and metrics are wired in src/telemetry). */
export interface JobTelemetry {
  stage?(stage: JobStage, ms: number, leads: number): void;
  runFinished?(summary: RunSummary): void;
}

export interface RunScoringJobOptions {
  readonly store: LeadStore;
  /**
   * The run's clock (epoch ms), written as ScoresLastUpdated. The scores are taken as of the END of its UTC day
   * (`scoringInstant`), so every pass of one day over the same data computes the same scores (docs/scoring.md).
   */
  readonly now: number;
  /**
   * `every-run` (default, the guide's meaning): every scored row gets the run's time in ScoresLastUpdated;
   * `on-change`: only rows whose scores changed are written at all. Unchanged score columns are never rewritten.
   */
  readonly scoresLastUpdated?: 'every-run' | 'on-change';
  readonly scoring: ScoringConfig;
  /** Leads per chunk (read, score, write); bounds memory. */
  readonly chunkSize: number;
  readonly trigger: RunTrigger;
  /** Rescore only these leads. */
  readonly leadIds?: readonly number[];
  /** Compute without writing anything (no lock, no run row, no scores, no snapshots). */
  readonly dryRun?: boolean;
  readonly log: JobLogger;
  readonly telemetry?: JobTelemetry;
  /** Called after every chunk with the leads done so far (progress bars). */
  readonly onProgress?: (leadsDone: number) => void;
  /** The learned conversion model's policy; without it ConversionProbability is the heuristic. */
  readonly model?: ModelPolicy;
  /** Days of snapshots to keep; older ones are purged after a successful full run. Default 180. */
  readonly snapshotRetentionDays?: number;
  /** Wall clock for durations; injectable for tests. */
  readonly clock?: () => number;
  /**
   * Stops the run at the next chunk boundary when it fires (Ctrl+C, SIGTERM, the Functions host shutting down): the
   * run is recorded as failed with RUN_INTERRUPTED (or the error given as the abort reason) and the lock released.
   */
  readonly signal?: AbortSignal;
  /** The run row's client key; a fresh UUID by default (tests pass one to check idempotence). */
  readonly runKey?: string;
}

const GUIDE_STAGE_LINES = [
  'Calculating health scores...',
  'Calculating velocity scores...',
  'Calculating AI priority...',
  'Calculating churn risk...',
  'Calculating conversion probability...',
  'Calculating follow-up status...',
  'Generating AI recommendations...',
];

/** The instant a run's scores are taken as of: the last millisecond of its UTC day. */
export function scoringInstant(now: number): number {
  return (Math.floor(now / MS_PER_DAY) + 1) * MS_PER_DAY - 1;
}

function utcDay(ms: number): string {
  return new Date(Math.floor(ms / MS_PER_DAY) * MS_PER_DAY).toISOString().slice(0, 10);
}

function snapshotChunk(
  f: LeadFeatureBatch,
  s: LeadScoreBatch,
  day: string,
  writtenAt: number,
): SnapshotChunk {
  const n = f.leadId.length;
  const activity7d = new Int32Array(n);
  const activity30d = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    activity7d[i] = f.completedFollowUps7d[i]! + f.visits7d[i]!;
    activity30d[i] = f.completedFollowUps30d[i]! + f.visits30d[i]!;
  }
  return {
    day,
    leadId: f.leadId,
    health: s.health,
    velocity: s.velocity,
    activity7d,
    activity30d,
    completedFollowUps7d: f.completedFollowUps7d,
    visits7d: f.visits7d,
    writtenAt,
  };
}

/**
 * One scoring pass: take the run lock, record the run, stream the scoring input in chunks, score each chunk with
 * the pure core, write scores (unchanged rows only get ScoresLastUpdated) and the day's snapshots chunk by chunk,
 * then record the outcome. Memory is bounded by the chunk size. A failure marks the run failed and rethrows; chunks
 * already committed stay consistent (each chunk is one transaction, and a rerun converges).
 */
export async function runScoringJob(options: RunScoringJobOptions): Promise<RunSummary> {
  const { store, now, scoring, log } = options;
  const clock = options.clock ?? Date.now;
  const dryRun = options.dryRun ?? false;
  const t0 = clock();
  const pp = priorityParams(scoring);
  const summary = newRunSummary({
    trigger: options.trigger,
    dryRun,
    startedAt: t0,
    requestedLeads: options.leadIds?.length ?? null,
  });
  const results: DryRunLead[] | undefined = dryRun && options.leadIds ? [] : undefined;
  const stage = (name: JobStage, since: number, leads: number): number => {
    const t = clock();
    summary.stagesMs[name] += t - since;
    options.telemetry?.stage?.(name, t - since, leads);
    return t;
  };

  let lock: RunLock | null = null;
  let heartbeat: Heartbeat | null = null;
  let iterator: AsyncIterator<FeatureChunk> | undefined;
  try {
    if (options.signal?.aborted) throw interruption(options.signal.reason); // shutting down: start nothing
    if (!dryRun) {
      lock = await store.acquireRunLock(`${options.trigger}:${process.pid}:${t0}`);
      // the lease is kept alive on a timer while the run lives, not per chunk (a long chunk must not lose it)
      heartbeat = startHeartbeat(lock, clock, log);
      summary.runId = await store.startRun({
        runKey: options.runKey ?? randomUUID(),
        trigger: options.trigger,
        startedAt: t0,
        requestedLeads: summary.requestedLeads,
      });
    }
    log.info(
      options.leadIds
        ? `Starting vectorized score update for ${options.leadIds.length} requested leads${dryRun ? ' (dry run)' : ''}...`
        : `Starting vectorized score update for all active leads${dryRun ? ' (dry run)' : ''}...`,
    );
    // training runs only on timer and full runs: a subset rerun (an HTTP request) scores with the published model
    const modelState: ModelState = options.model
      ? await prepareModel(store, now, options.model, log, { dryRun, train: !options.leadIds })
      : { model: null, note: summary.conversionNote };
    summary.conversionSource = modelState.model ? 'model' : 'heuristic';
    summary.conversionNote = modelState.note;
    if (modelState.model) summary.modelHoldoutAuc = modelState.model.metrics.holdout.auc;
    log.info(`Conversion probability: ${modelState.note}`);
    const heuristicJson = `"conversion":${JSON.stringify({ source: 'heuristic', note: modelState.note })}`;
    const day = utcDay(now);
    const asOf = scoringInstant(now);
    const input = store.readScoringInput({ asOf, leadIds: options.leadIds, chunkSize: options.chunkSize });
    iterator = input[Symbol.asyncIterator]();
    let first = true;
    for (;;) {
      await checkpoint(options.signal, heartbeat);
      let t = clock();
      const next = await iterator.next();
      if (next.done) break;
      const chunk = next.value;
      const n = chunk.features.leadId.length;
      t = stage('read', t, n);
      summary.leadsRead += n;
      addDataIssues(summary.dataIssues, chunk.issues);
      if (first) {
        for (const line of GUIDE_STAGE_LINES) log.info(line);
        first = false;
      }

      let conversion: Float64Array | undefined;
      let extraJson: string | string[] = heuristicJson;
      let conversionFactors: ConversionFactor[][] | undefined;
      if (modelState.model) {
        const input = {
          features: chunk.features,
          asOf: new Float64Array(n).fill(asOf),
          extras: chunk.extras,
        };
        const scored = scoreWithModel(modelState.model, input, true);
        conversion = scored.probability;
        conversionFactors = scored.factors!;
        const head = `"conversion":${JSON.stringify({ source: 'model', version: modelState.model.version })},"conversionFactors":`;
        extraJson = conversionFactors.map((f) => head + JSON.stringify(f));
      }
      const scores = scoreLeads(chunk.features, asOf, scoring, { conversion });
      t = stage('score', t, n);
      for (let i = 0; i < n; i++) {
        summary.churnRisk[CHURN_RISKS[scores.churnRisk[i]!]!]++;
        summary.followUpStatus[FOLLOW_UP_STATUSES[scores.followUpStatus[i]!]!]++;
      }
      summary.leadsScored += n;

      if (results) {
        for (let i = 0; i < n; i++) {
          const x = recommendationInputsAt(chunk.features, scores, i);
          results.push({
            leadId: scores.leadId[i]!,
            healthScore: x.health,
            velocityScore: x.velocity,
            aiPriority: scores.priority[i]!,
            conversionProbability: x.conversion,
            churnRisk: CHURN_RISKS[x.churnRisk]!,
            followUpStatus: FOLLOW_UP_STATUSES[x.followUpStatus]!,
            overdueDays: x.overdueDays,
            recommendation: {
              ...renderRecommendation(x, pp, scoring),
              ...(modelState.model
                ? {
                    conversion: { source: 'model', version: modelState.model.version },
                    conversionFactors: conversionFactors?.[i],
                  }
                : { conversion: { source: 'heuristic', note: modelState.note } }),
            },
          });
        }
        t = stage('render', t, n);
      }
      if (!dryRun) {
        const json = renderRecommendationsJson(chunk.features, scores, scoring, pp, extraJson);
        t = stage('render', t, n);
        const written = await store.writeScores({
          scores,
          recommendationJson: json,
          scoredAt: now,
          touchUnchanged: options.scoresLastUpdated !== 'on-change',
        });
        summary.rowsChanged += written.changed;
        summary.rowsUnchanged += written.unchanged;
        summary.rowsMissing += written.missing;
        t = stage('write', t, n);
        summary.snapshotsWritten += await store.writeSnapshots(
          snapshotChunk(chunk.features, scores, day, now),
        );
        stage('snapshot', t, n);
      }
      options.onProgress?.(summary.leadsScored);
    }
    summary.leadsSkipped = summary.dataIssues.skippedRows;
    log.info(`Loaded ${summary.leadsRead} active leads`);
    finish(summary, clock(), t0);
    log.info(
      `✅ Score update completed! ${dryRun ? 'Scored' : 'Updated'} ${summary.leadsScored} leads in ${(summary.durationMs / 1000).toFixed(2)} seconds`,
    );
    log.info(`Performance: ${summary.leadsPerSecond} leads/second`);
    if (!dryRun)
      log.info(
        `Rows changed: ${summary.rowsChanged}; unchanged: ${summary.rowsUnchanged} (${
          options.scoresLastUpdated === 'on-change' ? 'not written' : 'ScoresLastUpdated only'
        })`,
      );
    const issues = summary.dataIssues;
    if (Object.values(issues).some((n) => n > 0)) {
      log.warn(`Data issues repaired with documented fallbacks: ${JSON.stringify(issues)}`);
    }
    if (results) summary.results = results;
    if (!dryRun && !options.leadIds) {
      const cutoff = new Date(
        (Math.floor(now / MS_PER_DAY) - (options.snapshotRetentionDays ?? 180)) * MS_PER_DAY,
      )
        .toISOString()
        .slice(0, 10);
      const purged = await store.purgeSnapshots(cutoff);
      if (purged > 0) log.info(`Purged ${purged} velocity snapshots dated before ${cutoff}`);
    }
    if (summary.runId !== null) {
      await store.finishRun(summary.runId, runFinish(summary));
    }
    options.telemetry?.runFinished?.(summary);
    return summary;
  } catch (e) {
    if (e instanceof RunLockedError) throw e; // not a run of ours: nothing to record (the holder's run is)
    summary.status = 'failed';
    summary.leadsSkipped = summary.dataIssues.skippedRows;
    summary.error = runErrorOf(e);
    finish(summary, clock(), t0);
    log.error(`❌ Score update failed after ${summary.leadsScored} leads: ${summary.error.message}`);
    if (summary.runId !== null) {
      try {
        await store.finishRun(summary.runId, runFinish(summary));
      } catch (recordError) {
        log.error(`Could not record the failed run ${summary.runId}: ${(recordError as Error).message}`);
      }
    }
    options.telemetry?.runFinished?.(summary);
    throw e;
  } finally {
    heartbeat?.stop();
    // a failed run stops reading: close the store's read stream (its connection and statement) before unlocking
    await iterator?.return?.(undefined).catch(() => undefined);
    await lock?.release();
  }
}

/** The run row's outcome from a finished summary (without the dry-run results). */
function runFinish(summary: RunSummary): RunFinish {
  return {
    status: summary.status,
    finishedAt: Date.parse(summary.finishedAt),
    leadsRead: summary.leadsRead,
    leadsScored: summary.leadsScored,
    leadsSkipped: summary.leadsSkipped,
    rowsChanged: summary.rowsChanged,
    snapshotsWritten: summary.snapshotsWritten,
    durationMs: summary.durationMs,
    errorCode: summary.error?.code ?? null,
    errorMessage: summary.error?.message ?? null,
    summary: { ...summary, results: undefined },
  };
}

function finish(summary: RunSummary, t: number, t0: number): void {
  summary.finishedAt = new Date(t).toISOString();
  summary.durationMs = t - t0;
  summary.leadsPerSecond =
    summary.durationMs > 0
      ? Math.round((summary.leadsScored * 1000) / summary.durationMs)
      : summary.leadsScored;
}
