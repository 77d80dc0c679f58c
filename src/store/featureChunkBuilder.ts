import {
  allocateLeadFeatures,
  codeOf,
  LEAD_SOURCES,
  LEAD_STATUSES,
  SOURCE_OTHER,
  sliceLeadFeatures,
  type LeadFeatureColumn,
  type MutableLeadFeatureBatch,
} from '../scoring';
import { NO_DATA_ISSUES, type DataIssues, type ExtraColumns, type FeatureChunk } from './leadStore';

/** The scoring input view's column names → the core's feature columns. This is the whole read contract. */
export const VIEW_COLUMNS: Readonly<Record<string, LeadFeatureColumn>> = Object.freeze({
  LeadId: 'leadId',
  LeadStatus: 'status',
  LeadSource: 'source',
  EstimatedValue: 'estimatedValue',
  CreatedDate: 'createdAt',
  StatusChangedDate: 'statusChangedAt',
  LastContactDate: 'lastContactAt',
  LastFollowUpCompletedDate: 'lastFollowUpCompletedAt',
  LastVisitDate: 'lastVisitAt',
  NextFollowUpDueDate: 'nextFollowUpDueAt',
  PendingFollowUps: 'pendingFollowUps',
  OverdueFollowUps: 'overdueFollowUps',
  CompletedFollowUps: 'completedFollowUps',
  CompletedFollowUps7d: 'completedFollowUps7d',
  CompletedFollowUps30d: 'completedFollowUps30d',
  Visits: 'visits',
  Visits7d: 'visits7d',
  Visits30d: 'visits30d',
  PrevHealthScore: 'prevHealth',
  PrevActivity7d: 'prevActivity7d',
});

const DATE_COLUMNS = new Set<LeadFeatureColumn>([
  'createdAt',
  'statusChangedAt',
  'lastContactAt',
  'lastFollowUpCompletedAt',
  'lastVisitAt',
  'nextFollowUpDueAt',
]);
const NUMBER_COLUMNS = new Set<LeadFeatureColumn>(['estimatedValue', 'prevHealth', 'prevActivity7d']);
/** ECMAScript's date range: anything beyond is garbage, not a date. */
const MAX_DATE_MS = 8.64e15;

/**
 * Dates a CRM can plausibly hold, in epoch ms: [1980-01-01, 2100-01-01) UTC. It only serves to recognise a number in
 * the wrong unit: any date of this range written in epoch seconds (3.2e8 … 4.1e9) reads as January–February 1970 in
 * ms, and written in microseconds (3.2e14 … 4.1e15) as the year 11,970 or later, so neither can be mistaken for a
 * date of the range. Numbers outside it that are not in one of those units are left as they are (the core already
 * caps a due date in year 5 or 9999 at its documented bounds).
 */
export const PLAUSIBLE_DATE_MS: Readonly<{ from: number; to: number }> = Object.freeze({
  from: Date.UTC(1980, 0, 1),
  to: Date.UTC(2100, 0, 1),
});

const plausible = (ms: number): boolean => ms >= PLAUSIBLE_DATE_MS.from && ms < PLAUSIBLE_DATE_MS.to;

/**
 * A date column's value as epoch ms, NaN when missing; each value that cannot be used is counted in `issues` by
 * class and read as missing: text (even ISO 8601: the stores' contract is epoch ms or a date type, and the view's SQL
 * windows never count a text date either), a number that is a plausible date only in epoch seconds or microseconds
 * (not converted: the view's windows over the same column read it as ms), anything else that is not a date.
 */
function readDate(v: unknown, issues: DataIssues): number {
  if (typeof v === 'string') {
    if (toEpochMs(v) === undefined) issues.invalidDates++;
    else issues.textDates++;
    return NaN;
  }
  const ms = toEpochMs(v);
  if (ms === undefined) {
    issues.invalidDates++;
    return NaN;
  }
  if ((typeof v === 'number' || typeof v === 'bigint') && ms === ms && !plausible(ms)) {
    if (plausible(ms * 1000)) {
      issues.epochSecondsDates++;
      return NaN;
    }
    if (plausible(ms / 1000)) {
      issues.epochMicrosDates++;
      return NaN;
    }
  }
  return ms;
}

const enum Kind {
  LeadId,
  Status,
  Source,
  Date,
  Count,
  Number,
  ExtraNumber,
  ExtraText,
  Ignore,
}

/**
 * Epoch ms of a driver value (number of ms, Date, ISO text); NaN for NULL; undefined for garbage. Lenient on
 * purpose: the training view's ClosedDate extra arrives as ISO text from Azure SQL. Feature date columns go through
 * `readDate`, which is strict and counts what it refuses.
 */
export function toEpochMs(v: unknown): number | undefined {
  if (v === null || v === undefined) return NaN;
  let ms: number;
  if (typeof v === 'number') ms = v;
  else if (v instanceof Date) ms = v.getTime();
  else if (typeof v === 'bigint') ms = Number(v);
  else if (typeof v === 'string')
    ms = /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v) : NaN;
  else return undefined;
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}

function toNumber(v: unknown): number | undefined {
  if (v === null || v === undefined) return NaN;
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'bigint'
        ? Number(v)
        : typeof v === 'string' && v.trim() !== ''
          ? Number(v)
          : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Text of an extra column's value: NULL stays null, dates become ISO text, buffers and objects JSON. */
function textOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? null;
}

/**
 * Turns rows of the scoring input view (arrays of driver values in `columns` order) into one chunk of typed-array
 * columns. Shared by both stores so that NULLs, garbage and unknown codes become exactly the same NaN / 0 / code.
 * Fallbacks (counted in `issues`, documented in docs/scoring.md "Bad data"): a row without an integer LeadId is
 * skipped (and nothing else of it is counted); a text date, an epoch-seconds or -microseconds number and a non-date
 * in a date column are missing; a negative count is 0; an unknown status is code 0; an unknown source is `other`; a
 * non-number in a numeric column is missing. View columns the core does not know become extras (numeric or text,
 * decided by the first non-NULL value of the column in the chunk).
 */
export class FeatureChunkBuilder {
  private readonly kinds: Kind[];
  private readonly targets: string[];
  private readonly extraNames: string[];
  private readonly idColumn: number;
  private batch!: MutableLeadFeatureBatch;
  private extraValues!: unknown[][];
  private issues!: DataIssues;
  private n = 0;

  constructor(
    readonly columns: readonly string[],
    private readonly capacity: number,
  ) {
    const known = new Map(Object.entries(VIEW_COLUMNS).map(([k, v]) => [k.toLowerCase(), v]));
    this.kinds = [];
    this.targets = [];
    this.extraNames = [];
    for (const name of columns) {
      const col = known.get(name.toLowerCase());
      if (col === undefined) {
        this.kinds.push(Kind.ExtraText); // refined per chunk in finish()
        this.targets.push(name);
        this.extraNames.push(name);
      } else {
        this.kinds.push(
          col === 'leadId'
            ? Kind.LeadId
            : col === 'status'
              ? Kind.Status
              : col === 'source'
                ? Kind.Source
                : DATE_COLUMNS.has(col)
                  ? Kind.Date
                  : NUMBER_COLUMNS.has(col)
                    ? Kind.Number
                    : Kind.Count,
        );
        this.targets.push(col);
      }
    }
    this.idColumn = this.kinds.indexOf(Kind.LeadId);
    if (this.idColumn < 0) throw new Error('The scoring input view has no LeadId column');
    this.reset();
  }

  /**
   * Rows taken since the last `finish`, kept or skipped: a chunk whose rows were all skipped (unusable ids) is still
   * worth finishing, for its issue counts. `full` counts kept rows only.
   */
  get length(): number {
    return this.n + this.issues.skippedRows;
  }

  get full(): boolean {
    return this.n >= this.capacity;
  }

  private reset(): void {
    this.batch = allocateLeadFeatures(this.capacity);
    this.extraValues = this.extraNames.map(() => []);
    this.issues = { ...NO_DATA_ISSUES };
    this.n = 0;
  }

  /** Adds one row; returns false when it was skipped (no usable LeadId). */
  add(row: readonly unknown[]): boolean {
    const b = this.batch;
    const i = this.n;
    // the id first: a skipped row must not count issues of its other columns
    const raw = row[this.idColumn];
    const id = typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0 || id > 2_147_483_647) {
      this.issues.skippedRows++;
      return false;
    }
    let extra = 0;
    for (let c = 0; c < this.kinds.length; c++) {
      const v = row[c];
      switch (this.kinds[c]) {
        case Kind.LeadId:
          b.leadId[i] = id;
          break;
        case Kind.Status: {
          const code = typeof v === 'string' ? codeOf(LEAD_STATUSES, v) : 0;
          if (code === 0) this.issues.unknownStatuses++;
          b.status[i] = code;
          break;
        }
        case Kind.Source:
          b.source[i] = typeof v === 'string' ? codeOf(LEAD_SOURCES, v, SOURCE_OTHER) : 0;
          break;
        case Kind.Date:
          (b[this.targets[c] as LeadFeatureColumn] as Float64Array)[i] = readDate(v, this.issues);
          break;
        case Kind.Count: {
          // NULL is "none" (0); anything else must be a non-negative integer, else it is repaired and counted
          const x = toNumber(v);
          let k = 0;
          if (x === undefined) this.issues.invalidCounts++;
          else if (x === x) {
            k = Math.min(Math.max(Math.trunc(x), 0), 2_147_483_647);
            if (k !== x) this.issues.invalidCounts++;
          }
          (b[this.targets[c] as LeadFeatureColumn] as Int32Array)[i] = k;
          break;
        }
        case Kind.Number: {
          const x = toNumber(v);
          if (x === undefined) this.issues.invalidNumbers++;
          (b[this.targets[c] as LeadFeatureColumn] as Float64Array)[i] = x ?? NaN;
          break;
        }
        default:
          this.extraValues[extra++]!.push(v);
      }
    }
    this.n++;
    return true;
  }

  /** The chunk of rows added since the last `finish`, then starts a new one. */
  finish(): FeatureChunk {
    const features = sliceLeadFeatures(this.batch, 0, this.n);
    const extras: Record<string, ExtraColumns[string]> = {};
    this.extraNames.forEach((name, k) => {
      const values = this.extraValues[k]!;
      const first = values.find((v) => v !== null && v !== undefined);
      if (typeof first === 'number' || typeof first === 'bigint') {
        extras[name] = Float64Array.from(values, (v) => {
          const x = toNumber(v);
          return x ?? NaN;
        });
      } else {
        extras[name] = values.map(textOf);
      }
    });
    const chunk: FeatureChunk = { features, extras, issues: this.issues };
    this.reset();
    return chunk;
  }
}
