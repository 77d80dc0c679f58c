import type { LeadScoreBatch } from '../../scoring';

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

/** Writes a run's results: score columns, the day's snapshots, and the snapshot retention purge. */
export interface ScoreWriter {
  /** Writes one chunk of scores in one transaction; unchanged rows only get ScoresLastUpdated. */
  writeScores(chunk: ScoreWriteChunk): Promise<ScoreWriteResult>;
  /** Upserts one chunk of daily snapshots in one transaction; returns rows written. */
  writeSnapshots(chunk: SnapshotChunk): Promise<number>;
  /** Deletes snapshot rows dated before `beforeDay` (YYYY-MM-DD); returns how many. */
  purgeSnapshots(beforeDay: string): Promise<number>;
}
