import { MS_PER_DAY } from '../../scoring';
import type { RunFinish } from '../../store/leadStore';
import type { HeldResources, JobRun } from '../jobRun';
import { runErrorOf, type RunSummary } from '../runSummary';

/** The guide's closing lines, and the data issues repaired on the way. */
export function reportCompletion(run: JobRun): void {
  const { summary, dryRun } = run;
  const { log, scoresLastUpdated } = run.options;
  summary.leadsSkipped = summary.dataIssues.skippedRows;
  // the guide's stage lines, after the fact and with their real times, in the pipeline's order
  const ms = summary.stagesMs;
  log.info(`Loaded ${summary.leadsRead} active leads`);
  log.info(`Data loading complete (read: ${Math.round(ms.read)} ms)`);
  log.info(
    `Calculated health, velocity, AI priority, churn risk, conversion probability and follow-up status (score: ${Math.round(ms.score)} ms)`,
  );
  log.info(`Generated AI recommendations (render: ${Math.round(ms.render)} ms)`);
  if (!dryRun)
    log.info(
      `Wrote scores (write: ${Math.round(ms.write)} ms) and the day's snapshots (snapshot: ${Math.round(ms.snapshot)} ms)`,
    );
  finish(summary, run.clock(), run.t0);
  log.info(
    `✅ Score update completed! ${dryRun ? 'Scored' : 'Updated'} ${summary.leadsScored} leads in ${(summary.durationMs / 1000).toFixed(2)} seconds`,
  );
  log.info(`Performance: ${summary.leadsPerSecond} leads/second`);
  if (!dryRun)
    log.info(
      `Rows changed: ${summary.rowsChanged}; unchanged: ${summary.rowsUnchanged} (${
        scoresLastUpdated === 'on-change' ? 'not written' : 'ScoresLastUpdated only'
      })`,
    );
  const issues = summary.dataIssues;
  if (Object.values(issues).some((n) => n > 0)) {
    log.warn(`Data issues repaired with documented fallbacks: ${JSON.stringify(issues)}`);
  }
  if (run.results) summary.results = run.results;
  reportUnscoredRequests(run);
}

/** A subset rerun names the requested leads it could not score: no such lead, or not an active one. */
function reportUnscoredRequests(run: JobRun): void {
  const { leadIds, log } = run.options;
  if (!leadIds || !run.readIds) return;
  const missing = leadIds.filter((id) => !run.readIds!.has(id));
  run.summary.requestedNotScored = missing;
  if (missing.length > 0)
    log.warn(
      `${missing.length} of ${leadIds.length} requested leads were not scored (no such lead, or not active): ${missing
        .slice(0, 20)
        .join(', ')}${missing.length > 20 ? ', …' : ''}`,
    );
}

/** Snapshot retention: after a successful full run, purges the snapshots older than the retention (default 180 days). */
export async function purgeOldSnapshots(run: JobRun): Promise<void> {
  const { store, now, leadIds, snapshotRetentionDays, log } = run.options;
  if (run.dryRun || leadIds) return;
  const cutoff = new Date((Math.floor(now / MS_PER_DAY) - (snapshotRetentionDays ?? 180)) * MS_PER_DAY)
    .toISOString()
    .slice(0, 10);
  const purged = await store.purgeSnapshots(cutoff);
  if (purged > 0) log.info(`Purged ${purged} velocity snapshots dated before ${cutoff}`);
}

/** Records the successful outcome on the run row and hands the summary to telemetry. */
export async function recordOutcome(run: JobRun): Promise<void> {
  const { summary } = run;
  if (summary.runId !== null) {
    await run.options.store.finishRun(summary.runId, runFinish(summary));
  }
  run.options.telemetry?.runFinished?.(summary);
}

/** Marks the run failed, logs why, and records it (a failure to record is logged, never hides the run's error). */
export async function recordFailure(run: JobRun, e: unknown): Promise<void> {
  const { summary } = run;
  const { log, store } = run.options;
  summary.status = 'failed';
  summary.leadsSkipped = summary.dataIssues.skippedRows;
  summary.error = runErrorOf(e);
  finish(summary, run.clock(), run.t0);
  log.error(`❌ Score update failed after ${summary.leadsScored} leads: ${summary.error.message}`);
  if (summary.runId !== null) {
    try {
      await store.finishRun(summary.runId, runFinish(summary));
    } catch (recordError) {
      log.error(`Could not record the failed run ${summary.runId}: ${(recordError as Error).message}`);
    }
  }
  run.options.telemetry?.runFinished?.(summary);
}

/** Stops the heartbeat, closes the read stream (a read in flight is cancelled and waited for), then unlocks. */
export async function releaseResources(held: HeldResources): Promise<void> {
  held.heartbeat?.stop();
  await held.iterator?.return?.(undefined).catch(() => undefined);
  await held.lock?.release();
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
