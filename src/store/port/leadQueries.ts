import type { ChurnRisk, FollowUpStatus, PriorityBand } from '../../scoring';

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
  /** AIPriority bands (docs/scoring.md §Scale and bands); the stores filter on `bandRanges` of them. */
  readonly band?: readonly PriorityBand[];
  readonly status?: readonly string[];
  /** Epoch ms: only leads scored at or after it. */
  readonly updatedSince?: number;
  /** Only the leads of this owner (the CRM's owner column, `OwnerUserId` in the guide). */
  readonly owner?: number;
  /** Text found in the lead's first name, last name, full name or company (case as the database compares it). */
  readonly search?: string;
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
  /** The AIPriority band. */
  readonly band: PriorityBand;
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

/** One day's snapshot of a lead (`lead_velocity_snapshots`), as the lead detail endpoint returns it. */
export interface LeadSnapshotRecord {
  /** The UTC day, 'YYYY-MM-DD'. */
  readonly date: string;
  readonly healthScore: number;
  readonly velocityScore: number;
  /** Null on days before migration 006. */
  readonly aiPriority: number | null;
  readonly activity7d: number;
  readonly activity30d: number;
}

/** One active, scored lead with its snapshots from a given day on, oldest first. */
export interface LeadDetail {
  readonly lead: LeadRecord & { readonly recommendationInvalid?: true };
  readonly snapshots: LeadSnapshotRecord[];
}

/** The leads API's read. */
export interface LeadQueries {
  /** One page of active, scored leads with the aggregates of the whole filtered set. */
  queryLeads(query: LeadQuery): Promise<LeadPage>;
  /**
   * One lead with its snapshots dated `snapshotsFrom` ('YYYY-MM-DD') or later; null when the lead is unknown, closed
   * (by the status map) or not scored yet.
   */
  getLead(leadId: number, snapshotsFrom: string): Promise<LeadDetail | null>;
}
