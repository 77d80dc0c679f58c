import { jobSettings } from '../../config/jobSettings';
import {
  failedBeforeStart,
  runScoringJob,
  type JobLogger,
  type JobTelemetry,
  type RunSummary,
} from '../../job';
import type { RunTrigger } from '../../store/leadStore';
import { flushTelemetry, runTelemetry } from '../../telemetry/runTelemetry';
import type { AppDeps } from './appContext';
import { workerLifecycle, type WorkerLifecycle } from './workerLifecycle';

/** Where a trigger's runs report: the global tracer and meter in production, in-memory ones in tests. */
export interface TriggerTelemetry {
  forRun(trigger: RunTrigger, subset: boolean): JobTelemetry;
  flush(): Promise<void>;
}

export const globalTelemetry: TriggerTelemetry = { forRun: runTelemetry, flush: () => flushTelemetry() };

/** What a trigger's handler factory may be given besides its deps (tests pass their own). */
export interface TriggerOptions {
  readonly telemetry?: TriggerTelemetry;
  readonly lifecycle?: WorkerLifecycle;
}

/**
 * One run started by a trigger (the timer or the HTTP rerun). A failure to open the store (connect, login, firewall,
 * a missing database user: `deps()` rejects) happens before the job exists, so it is reported here as a failed run of
 * the trigger (status failed, its error code) before it is rethrown: the failed-run alert and the workbook see it.
 * The run gets the worker's shutdown signal, and telemetry is flushed when it ends, whatever the outcome.
 */
export async function runFromTrigger(
  deps: () => AppDeps | Promise<AppDeps>,
  run: {
    readonly trigger: Extract<RunTrigger, 'timer' | 'http'>;
    readonly leadIds?: readonly number[];
    readonly dryRun?: boolean;
    readonly log: JobLogger;
  },
  options: TriggerOptions = {},
): Promise<RunSummary> {
  const telemetry = options.telemetry ?? globalTelemetry;
  const lifecycle = options.lifecycle ?? workerLifecycle;
  const startedAt = Date.now();
  const runTelemetry = telemetry.forRun(run.trigger, run.leadIds !== undefined);
  try {
    let d: AppDeps;
    try {
      d = await deps();
    } catch (e) {
      const summary = failedBeforeStart(
        {
          trigger: run.trigger,
          dryRun: run.dryRun ?? false,
          startedAt,
          requestedLeads: run.leadIds?.length ?? null,
        },
        e,
        Date.now(),
      );
      // the wording the workbook's "Failure messages" table matches (has "Score update failed")
      run.log.error(
        `❌ Score update failed before the run could start: ${summary.error!.code}: ${summary.error!.message}`,
      );
      runTelemetry.runFinished?.(summary);
      throw e;
    }
    return await lifecycle.track(
      runScoringJob({
        store: d.store,
        now: Date.now(),
        ...jobSettings(d.config),
        trigger: run.trigger,
        telemetry: runTelemetry,
        leadIds: run.leadIds,
        dryRun: run.dryRun,
        log: run.log,
        signal: lifecycle.signal,
      }),
    );
  } finally {
    await telemetry.flush();
  }
}
