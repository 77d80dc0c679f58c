import type { LeadFeatureBatch } from '../../scoring';

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

/** Reads the scoring input view (the job's read stage). */
export interface ScoringInputReader {
  /** Streams the scoring input view, ordered by LeadId, in chunks of typed arrays. */
  readScoringInput(options: ReadScoringInputOptions): AsyncIterable<FeatureChunk>;
}
