import { MS_PER_DAY, priorityParams, type PriorityParams } from '../scoring';
import type { RunLock } from '../store/leadStore';
import type { RunScoringJobOptions } from './jobOptions';
import type { Heartbeat } from './runHeartbeat';
import { newRunSummary, type DryRunLead, type JobStage, type RunSummary } from './runSummary';
import type { FeatureChunk } from '../store/leadStore';

/** One run in progress: its options, clocks and summary, shared by the stages (src/job/stages/). */
export interface JobRun {
  readonly options: RunScoringJobOptions;
  readonly clock: () => number;
  readonly dryRun: boolean;
  /** Wall-clock start (the run row's StartedAt). */
  readonly t0: number;
  /** The UTC day of the run (YYYY-MM-DD), the snapshots' date. */
  readonly day: string;
  /** The instant the features are taken as of (`scoringInstant`). */
  readonly asOf: number;
  readonly pp: PriorityParams;
  readonly summary: RunSummary;
  /** The dry run's per-lead results (a dry subset rerun only). */
  readonly results: DryRunLead[] | undefined;
  /** The requested leads the input had (a subset rerun only): the others are unknown or closed. */
  readonly readIds: Set<number> | undefined;
  /** Adds the time since `since` to a stage's total (and telemetry); returns now. */
  stage(name: JobStage, since: number, leads: number): number;
}

/** What a run holds and must give back however it ends: the lock, its heartbeat, the open read stream. */
export interface HeldResources {
  lock: RunLock | null;
  heartbeat: Heartbeat | null;
  iterator: AsyncIterator<FeatureChunk> | undefined;
}

/** The instant a run's scores are taken as of: the last millisecond of its UTC day. */
export function scoringInstant(now: number): number {
  return (Math.floor(now / MS_PER_DAY) + 1) * MS_PER_DAY - 1;
}

function utcDay(ms: number): string {
  return new Date(Math.floor(ms / MS_PER_DAY) * MS_PER_DAY).toISOString().slice(0, 10);
}

export function newJobRun(options: RunScoringJobOptions): JobRun {
  const clock = options.clock ?? Date.now;
  const dryRun = options.dryRun ?? false;
  const t0 = clock();
  const summary = newRunSummary({
    trigger: options.trigger,
    dryRun,
    startedAt: t0,
    requestedLeads: options.leadIds?.length ?? null,
  });
  return {
    options,
    clock,
    dryRun,
    t0,
    day: utcDay(options.now),
    asOf: scoringInstant(options.now),
    pp: priorityParams(options.scoring),
    summary,
    results: dryRun && options.leadIds ? [] : undefined,
    readIds: options.leadIds ? new Set<number>() : undefined,
    stage: (name, since, leads) => {
      const t = clock();
      summary.stagesMs[name] += t - since;
      options.telemetry?.stage?.(name, t - since, leads);
      return t;
    },
  };
}
