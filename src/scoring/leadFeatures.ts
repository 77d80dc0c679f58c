import { InputError } from '../errors';
import { LEAD_SOURCES, LEAD_STATUSES } from './codes';

/**
 * One chunk of active leads as columns. Every array has the same length; index i is one lead. Dates are UTC epoch
 * milliseconds with NaN for "missing"; counts are non-negative integers; enum codes follow `codes.ts`.
 */
export interface LeadFeatureBatch {
  /** `lead.LeadId`. */
  readonly leadId: Int32Array;
  /** `lead.LeadStatus` as a `LEAD_STATUSES` code (0 = unknown active status). */
  readonly status: Uint8Array;
  /** `lead.LeadSource` as a `LEAD_SOURCES` code. */
  readonly source: Uint8Array;
  /** `lead.CreatedDate`. */
  readonly createdAt: Float64Array;
  /** `lead.StatusChangedDate`: when the lead entered its current stage; stage age = now − this. */
  readonly statusChangedAt: Float64Array;
  /** `lead.LastContactDate`, as the CRM records it. */
  readonly lastContactAt: Float64Array;
  /** Latest `FollowUps.CompletedDate` of a completed follow-up. */
  readonly lastFollowUpCompletedAt: Float64Array;
  /** Latest `Visit.VisitDate` not in the future. */
  readonly lastVisitAt: Float64Array;
  /** Earliest `DueDate` of a pending follow-up (overdue ones included); NaN when none is pending. */
  readonly nextFollowUpDueAt: Float64Array;
  /** Pending follow-ups. */
  readonly pendingFollowUps: Int32Array;
  /** Pending follow-ups due before today (UTC). */
  readonly overdueFollowUps: Int32Array;
  /** Completed follow-ups, all time. */
  readonly completedFollowUps: Int32Array;
  /** Follow-ups completed in the last 7 days. */
  readonly completedFollowUps7d: Int32Array;
  /** Follow-ups completed in the last 30 days. */
  readonly completedFollowUps30d: Int32Array;
  /** Visits, all time (not in the future). */
  readonly visits: Int32Array;
  /** Visits in the last 7 days. */
  readonly visits7d: Int32Array;
  /** Visits in the last 30 days. */
  readonly visits30d: Int32Array;
  /** `lead.EstimatedValue` in the CRM's currency; NaN when not set. */
  readonly estimatedValue: Float64Array;
  /** Health score of the latest snapshot before today; NaN when the lead has none. */
  readonly prevHealth: Float64Array;
  /** 7-day activity (completed follow-ups + visits) of the latest snapshot before today; NaN when none. */
  readonly prevActivity7d: Float64Array;
}

export type LeadFeatureColumn = keyof LeadFeatureBatch;

type ColumnKind = 'int32' | 'uint8' | 'float64' | 'count';

/** Column name → typed-array kind. The single source for allocation and validation. */
export const LEAD_FEATURE_COLUMNS: Readonly<Record<LeadFeatureColumn, ColumnKind>> = {
  leadId: 'int32',
  status: 'uint8',
  source: 'uint8',
  createdAt: 'float64',
  statusChangedAt: 'float64',
  lastContactAt: 'float64',
  lastFollowUpCompletedAt: 'float64',
  lastVisitAt: 'float64',
  nextFollowUpDueAt: 'float64',
  pendingFollowUps: 'count',
  overdueFollowUps: 'count',
  completedFollowUps: 'count',
  completedFollowUps7d: 'count',
  completedFollowUps30d: 'count',
  visits: 'count',
  visits7d: 'count',
  visits30d: 'count',
  estimatedValue: 'float64',
  prevHealth: 'float64',
  prevActivity7d: 'float64',
};

export const LEAD_FEATURE_COLUMN_NAMES = Object.keys(LEAD_FEATURE_COLUMNS) as LeadFeatureColumn[];

/** Mutable twin of the batch, for the stores that fill it. */
export type MutableLeadFeatureBatch = { -readonly [K in keyof LeadFeatureBatch]: LeadFeatureBatch[K] };

/**
 * Allocates a batch of `n` leads: dates NaN, counts and codes 0.
 *
 * @example allocateLeadFeatures(2).createdAt // => Float64Array [NaN, NaN]
 */
export function allocateLeadFeatures(n: number): MutableLeadFeatureBatch {
  const date = () => new Float64Array(n).fill(NaN);
  const count = () => new Int32Array(n);
  // An object literal, so every batch has one hidden class and the hot loops stay monomorphic.
  return {
    leadId: new Int32Array(n),
    status: new Uint8Array(n),
    source: new Uint8Array(n),
    createdAt: date(),
    statusChangedAt: date(),
    lastContactAt: date(),
    lastFollowUpCompletedAt: date(),
    lastVisitAt: date(),
    nextFollowUpDueAt: date(),
    pendingFollowUps: count(),
    overdueFollowUps: count(),
    completedFollowUps: count(),
    completedFollowUps7d: count(),
    completedFollowUps30d: count(),
    visits: count(),
    visits7d: count(),
    visits30d: count(),
    estimatedValue: date(),
    prevHealth: date(),
    prevActivity7d: date(),
  };
}

/** Views of rows [start, end) of a batch, without copying. */
export function sliceLeadFeatures(b: LeadFeatureBatch, start: number, end: number): LeadFeatureBatch {
  return {
    leadId: b.leadId.subarray(start, end),
    status: b.status.subarray(start, end),
    source: b.source.subarray(start, end),
    createdAt: b.createdAt.subarray(start, end),
    statusChangedAt: b.statusChangedAt.subarray(start, end),
    lastContactAt: b.lastContactAt.subarray(start, end),
    lastFollowUpCompletedAt: b.lastFollowUpCompletedAt.subarray(start, end),
    lastVisitAt: b.lastVisitAt.subarray(start, end),
    nextFollowUpDueAt: b.nextFollowUpDueAt.subarray(start, end),
    pendingFollowUps: b.pendingFollowUps.subarray(start, end),
    overdueFollowUps: b.overdueFollowUps.subarray(start, end),
    completedFollowUps: b.completedFollowUps.subarray(start, end),
    completedFollowUps7d: b.completedFollowUps7d.subarray(start, end),
    completedFollowUps30d: b.completedFollowUps30d.subarray(start, end),
    visits: b.visits.subarray(start, end),
    visits7d: b.visits7d.subarray(start, end),
    visits30d: b.visits30d.subarray(start, end),
    estimatedValue: b.estimatedValue.subarray(start, end),
    prevHealth: b.prevHealth.subarray(start, end),
    prevActivity7d: b.prevActivity7d.subarray(start, end),
  };
}

/**
 * Validates a batch once, at the boundary, so the hot loops after it need no checks: every column present with the
 * right typed-array class and the same length; counts ≥ 0; codes within their enums. Throws `InputError`
 * (`INPUT_INVALID`) naming the column and the first offending row.
 *
 * Complexity: O(n · columns).
 */
export function assertLeadFeatureBatch(batch: unknown): asserts batch is LeadFeatureBatch {
  if (typeof batch !== 'object' || batch === null) {
    throw new InputError('Lead feature batch must be an object of typed-array columns');
  }
  const record = batch as Record<string, unknown>;
  const leadId = record.leadId;
  if (!(leadId instanceof Int32Array)) {
    throw new InputError('Lead feature column "leadId" must be an Int32Array', { column: 'leadId' });
  }
  const n = leadId.length;
  for (const name of LEAD_FEATURE_COLUMN_NAMES) {
    const kind = LEAD_FEATURE_COLUMNS[name];
    const col = record[name];
    const expected = kind === 'float64' ? Float64Array : kind === 'uint8' ? Uint8Array : Int32Array;
    if (!(col instanceof expected)) {
      throw new InputError(`Lead feature column "${name}" must be a ${expected.name}`, { column: name });
    }
    if (col.length !== n) {
      throw new InputError(
        `Lead feature column "${name}" has ${col.length} rows but "leadId" has ${n}; all columns must have equal length`,
        { column: name, length: col.length, expected: n },
      );
    }
    if (kind === 'count') {
      const c = col as Int32Array;
      for (let i = 0; i < n; i++) {
        if (c[i]! < 0) {
          throw new InputError(
            `Lead feature column "${name}" has negative count ${c[i]} at row ${i} (lead ${leadId[i]})`,
            {
              column: name,
              row: i,
            },
          );
        }
      }
    }
  }
  const status = record.status as Uint8Array;
  const source = record.source as Uint8Array;
  for (let i = 0; i < n; i++) {
    if (status[i]! >= LEAD_STATUSES.length) {
      throw new InputError(`Lead feature column "status" has unknown code ${status[i]} at row ${i}`, {
        column: 'status',
        row: i,
      });
    }
    if (source[i]! >= LEAD_SOURCES.length) {
      throw new InputError(`Lead feature column "source" has unknown code ${source[i]} at row ${i}`, {
        column: 'source',
        row: i,
      });
    }
  }
}
