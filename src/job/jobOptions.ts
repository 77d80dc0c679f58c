import type { RunTrigger, LeadStore } from '../store/leadStore';
import type { ScoringConfig } from '../scoring';
import type { ModelPolicy } from './prepareModel';
import type { JobLogger } from './jobLogger';
import type { JobStage, RunSummary } from './runSummary';

export type { JobLogger };

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
