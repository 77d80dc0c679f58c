import type {
  ChurnRisk,
  ConversionModel,
  FollowUpStatus,
  LeadFeatureBatch,
  LeadScoreBatch,
} from '../scoring';

/** Extra columns of the scoring input view, carried through untouched: numbers as Float64Array (NaN = NULL), text as strings. */
export type ExtraColumns = Readonly<Record<string, Float64Array | (string | null)[]>>;

/** What the row-to-column conversion had to repair or skip in one chunk (documented fallbacks, never a crash). */
export interface DataIssues {
  /** Rows without a usable LeadId: skipped. */
  skippedRows: number;
  /** Date values that are not dates at all (unparseable text, beyond ECMAScript's range, objects): read as missing. */
  invalidDates: number;
  /** Dates stored as text, even ISO 8601 (the contract is epoch ms or a date type): read as missing. */
  textDates: number;
  /** Numbers that are a plausible CRM date only when read as epoch seconds: read as missing. */
  epochSecondsDates: number;
  /** Numbers that are a plausible CRM date only when read as epoch microseconds: read as missing. */
  epochMicrosDates: number;
  /** Active leads whose status is not one the core knows: scored with a neutral status weight. */
  unknownStatuses: number;
  /** Negative or non-integer counts: read as 0 / truncated. */
  invalidCounts: number;
  /** Non-numeric or non-finite values in numeric columns: read as missing. */
  invalidNumbers: number;
}

export const NO_DATA_ISSUES: Readonly<DataIssues> = Object.freeze({
  skippedRows: 0,
  invalidDates: 0,
  textDates: 0,
  epochSecondsDates: 0,
  epochMicrosDates: 0,
  unknownStatuses: 0,
  invalidCounts: 0,
  invalidNumbers: 0,
});

export function addDataIssues(a: DataIssues, b: Readonly<DataIssues>): void {
  a.skippedRows += b.skippedRows;
  a.invalidDates += b.invalidDates;
  a.textDates += b.textDates;
  a.epochSecondsDates += b.epochSecondsDates;
  a.epochMicrosDates += b.epochMicrosDates;
  a.unknownStatuses += b.unknownStatuses;
  a.invalidCounts += b.invalidCounts;
  a.invalidNumbers += b.invalidNumbers;
}

/** One chunk of the scoring input, as typed-array columns. */
export interface FeatureChunk {
  readonly features: LeadFeatureBatch;
  readonly extras: ExtraColumns;
  readonly issues: Readonly<DataIssues>;
}

export interface ReadScoringInputOptions {
  /**
   * The instant the features are taken as of (epoch ms): the 7/30-day windows end at it, "overdue" is due before its
   * UTC day, and nothing recorded after it counts. The job passes the end of the run's UTC day.
   */
  readonly asOf: number;
  /** Only these leads (a subset rerun); all active leads when absent. */
  readonly leadIds?: readonly number[];
  /** Leads per chunk. */
  readonly chunkSize: number;
}

/** Scores of one chunk to write back, with the RecommendationJson text of each lead. */
export interface ScoreWriteChunk {
  readonly scores: LeadScoreBatch;
  readonly recommendationJson: readonly string[];
  /** ScoresLastUpdated of the rows written. */
  readonly scoredAt: number;
  /**
   * Also advance ScoresLastUpdated on the unchanged rows (SCORES_LAST_UPDATED=every-run, the guide's meaning); when
   * false (on-change) unchanged rows are not written at all. Either way their score columns are never rewritten.
   */
  readonly touchUnchanged: boolean;
}

export interface ScoreWriteResult {
  /** Rows whose score values changed (all nine columns rewritten). */
  readonly changed: number;
  /** Rows whose scores were unchanged (only ScoresLastUpdated advanced, or nothing with on-change). */
  readonly unchanged: number;
  /** Lead ids that no longer exist (deleted between read and write): nothing written. */
  readonly missing: number;
}

/** Daily snapshot rows of one chunk (one per lead for `day`). */
export interface SnapshotChunk {
  readonly day: string; // YYYY-MM-DD (UTC)
  readonly leadId: Int32Array;
  readonly health: Uint8Array;
  readonly velocity: Uint8Array;
  readonly activity7d: Int32Array;
  readonly activity30d: Int32Array;
  readonly completedFollowUps7d: Int32Array;
  readonly visits7d: Int32Array;
  readonly writtenAt: number;
}

export type RunTrigger = 'timer' | 'http' | 'cli';
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

/**
 * A held run lock, the same contract on both adapters. It is a lease of `leaseMs`: the holder renews it on a heartbeat
 * (the job renews every quarter lease) and another run may take it over once it has not been renewed for a whole
 * lease. `renew` extends it, or rejects with `RunLockLostError` (RUN_LOCK_LOST) when the lock was taken over, released
 * or lost with its session: the holder must stop. `release` is idempotent.
 */
export interface RunLock {
  readonly leaseMs: number;
  renew(): Promise<void>;
  release(): Promise<void>;
}

/**
 * The one port the job talks to. Two adapters: `SqliteLeadStore` (embedded default) and the Azure SQL store.
 * Every method that writes changes only score columns, snapshot rows, run rows and the lock.
 */
export interface LeadStore {
  readonly kind: 'sqlite' | 'mssql';
  /**
   * Takes the run lock or throws `RunLockedError` (RUN_LOCKED) naming the holder's start time and, where the lock is
   * a lease, when it expires.
   */
  acquireRunLock(owner: string): Promise<RunLock>;
  /**
   * Records a run as started (called while holding the run lock); returns its id. Idempotent on `runKey`. Rows still
   * `running` that started more than a lease ago belong to runs that died without an outcome (no live run can hold
   * the lock we hold): they are closed as `abandoned` (RUN_ABANDONED) in the same transaction.
   */
  startRun(run: RunStart): Promise<number>;
  /** Records the outcome of a run that is still `running` (a row closed as abandoned meanwhile stays so). */
  finishRun(runId: number, result: RunFinish): Promise<void>;
  /** Streams the scoring input view, ordered by LeadId, in chunks of typed arrays. */
  readScoringInput(options: ReadScoringInputOptions): AsyncIterable<FeatureChunk>;
  /** Writes one chunk of scores in one transaction; unchanged rows only get ScoresLastUpdated. */
  writeScores(chunk: ScoreWriteChunk): Promise<ScoreWriteResult>;
  /** Upserts one chunk of daily snapshots in one transaction; returns rows written. */
  writeSnapshots(chunk: SnapshotChunk): Promise<number>;
  /** Streams the training view (closed leads, features as of their close date) in chunks; extras carry Outcome (won/lost) and ClosedDate. */
  readTrainingInput(options: { readonly chunkSize: number }): AsyncIterable<FeatureChunk>;
  /** Records a training attempt (a model, or the reason there is none) in lead_scoring_models; returns its id. */
  saveModel(record: ModelRecord): Promise<number>;
  /** The most recently published model, or null. */
  latestPublishedModel(): Promise<ConversionModel | null>;
  /** The last training attempt (published or not), or null. */
  lastModelAttempt(): Promise<{ readonly trainedAt: number; readonly note: string | null } | null>;
  /** Deletes snapshot rows dated before `beforeDay` (YYYY-MM-DD); returns how many. */
  purgeSnapshots(beforeDay: string): Promise<number>;
  /** One page of active, scored leads with the aggregates of the whole filtered set. */
  queryLeads(query: LeadQuery): Promise<LeadPage>;
  listRuns(limit: number): Promise<RunRecord[]>;
  getRun(runId: number): Promise<RunRecord | null>;
  close(): Promise<void>;
}

export const LEAD_SORTS = ['priority', 'health', 'overdue', 'conversion'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

/** Where a page ends: the sort value and LeadId of its last lead (keyset paging). */
export interface LeadCursor {
  readonly sort: LeadSort;
  readonly value: number;
  readonly leadId: number;
}

/** Filters, order and page of the leads API. Only active, scored leads are listed. */
export interface LeadQuery {
  readonly churnRisk?: readonly ChurnRisk[];
  readonly followUpStatus?: readonly FollowUpStatus[];
  readonly minPriority?: number;
  readonly maxHealth?: number;
  readonly status?: readonly string[];
  /** Epoch ms: only leads scored at or after it. */
  readonly updatedSince?: number;
  readonly sort: LeadSort;
  readonly limit: number;
  readonly after?: LeadCursor;
}

export interface LeadRecord {
  readonly leadId: number;
  readonly name: string | null;
  readonly company: string | null;
  readonly status: string | null;
  readonly source: string | null;
  readonly estimatedValue: number | null;
  readonly healthScore: number;
  readonly velocityScore: number;
  readonly aiPriority: number;
  readonly conversionProbability: number;
  readonly churnRisk: ChurnRisk;
  readonly followUpStatus: FollowUpStatus;
  readonly overdueDays: number;
  readonly recommendation: unknown;
  readonly scoresLastUpdated: string;
}

export interface LeadAggregates {
  readonly count: number;
  readonly churnRisk: Record<ChurnRisk, number>;
  readonly followUpStatus: Record<FollowUpStatus, number>;
  readonly averageHealth: number | null;
  readonly averagePriority: number | null;
  readonly averageConversion: number | null;
  readonly totalOverdueDays: number;
}

export interface LeadPage {
  readonly leads: LeadRecord[];
  readonly next: LeadCursor | null;
  readonly aggregates: LeadAggregates;
}

/** One row of lead_scoring_models. */
export interface ModelRecord {
  readonly trainedAt: number;
  readonly model: ConversionModel | null;
  readonly won: number;
  readonly lost: number;
  readonly published: boolean;
  readonly note: string | null;
}
