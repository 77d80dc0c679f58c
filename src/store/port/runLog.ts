export type RunTrigger = 'timer' | 'http' | 'cli' | 'watch';
/**
 * A run row's status, the one list (migrations 003/005 CHECK the same values). `abandoned`: the run's process died or
 * lost the lock without recording an outcome; the next run that takes the lock closes its row so (RUN_ABANDONED).
 */
export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'abandoned'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunStart {
  /**
   * The run's client key (a UUID the job generates): recording a start is idempotent on it, so a retry after a lost
   * acknowledgement finds the row the first attempt inserted instead of inserting a second one.
   */
  readonly runKey: string;
  readonly trigger: RunTrigger;
  readonly startedAt: number;
  readonly requestedLeads: number | null;
}

export interface RunFinish {
  readonly status: 'succeeded' | 'failed';
  readonly finishedAt: number;
  readonly leadsRead: number;
  readonly leadsScored: number;
  readonly leadsSkipped: number;
  readonly rowsChanged: number;
  readonly snapshotsWritten: number;
  readonly durationMs: number;
  readonly errorCode?: string | null;
  readonly errorMessage?: string | null;
  readonly summary?: unknown;
}

/** One row of lead_scoring_runs. */
export interface RunRecord {
  readonly runId: number;
  /** The client key the job generated for the run (null for rows older than migration 005's keys). */
  readonly runKey: string | null;
  readonly trigger: RunTrigger;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly requestedLeads: number | null;
  readonly leadsRead: number;
  readonly leadsScored: number;
  readonly leadsSkipped: number;
  readonly rowsChanged: number;
  readonly snapshotsWritten: number;
  readonly durationMs: number | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly summary: unknown;
}

/** The rows of lead_scoring_runs: a run's start and outcome, and the runs API's reads. */
export interface RunLog {
  /**
   * Records a run as started (called while holding the run lock); returns its id. Idempotent on `runKey`. Rows still
   * `running` that started more than a lease ago belong to runs that died without an outcome (no live run can hold
   * the lock we hold): they are closed as `abandoned` (RUN_ABANDONED) in the same transaction.
   */
  startRun(run: RunStart): Promise<number>;
  /** Records the outcome of a run that is still `running` (a row closed as abandoned meanwhile stays so). */
  finishRun(runId: number, result: RunFinish): Promise<void>;
  listRuns(limit: number): Promise<RunRecord[]>;
  getRun(runId: number): Promise<RunRecord | null>;
}
