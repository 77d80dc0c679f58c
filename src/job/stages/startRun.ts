import { randomUUID } from 'node:crypto';
import type { HeldResources, JobRun } from '../jobRun';
import { startHeartbeat } from '../runHeartbeat';

/** Takes the run lock, keeps its lease alive, and records the run as started (not in a dry run). */
export async function takeLockAndStartRun(run: JobRun, held: HeldResources): Promise<void> {
  const { store, trigger, runKey, log } = run.options;
  held.lock = await store.acquireRunLock(`${trigger}:${process.pid}:${run.t0}`);
  // the lease is kept alive on a timer while the run lives, not per chunk (a long chunk must not lose it)
  held.heartbeat = startHeartbeat(held.lock, run.clock, log);
  run.summary.runId = await store.startRun({
    runKey: runKey ?? randomUUID(),
    trigger,
    startedAt: run.t0,
    requestedLeads: run.summary.requestedLeads,
  });
}

/** The guide's first line. */
export function logStart(run: JobRun): void {
  const { leadIds, log } = run.options;
  const dry = run.dryRun ? ' (dry run)' : '';
  log.info(
    leadIds
      ? `Starting vectorized score update for ${leadIds.length} requested leads${dry}...`
      : `Starting vectorized score update for all active leads${dry}...`,
  );
}
