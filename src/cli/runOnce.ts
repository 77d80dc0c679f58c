import { jobSettings } from '../config/jobSettings';
import type { AppConfig } from '../config/loadConfig';
import { runScoringJob, type RunSummary } from '../job';
import type { LeadStore } from '../store/leadStore';
import { log, progress } from './output';

/**
 * One scoring pass from the command line (run, demo, watch): the job's log lines on stderr, a bar on a terminal.
 * `signal` stops the run at the next chunk, recorded as failed (RUN_INTERRUPTED): see withInterruptSignals.
 */
export async function runOnce(
  store: LeadStore,
  config: AppConfig,
  opts: { leadIds?: number[]; dryRun?: boolean; trigger?: 'cli' | 'watch' },
  signal?: AbortSignal,
): Promise<RunSummary> {
  const bar = progress(opts.leadIds?.length ?? 0, 'Scoring');
  try {
    return await runScoringJob({
      store,
      now: Date.now(),
      ...jobSettings(config),
      trigger: opts.trigger ?? 'cli',
      leadIds: opts.leadIds,
      dryRun: opts.dryRun,
      log,
      signal,
      onProgress: (n) => bar.update(n),
    });
  } finally {
    bar.stop();
  }
}
