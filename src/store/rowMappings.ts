import { bandLetterOf, CHURN_RISKS, FOLLOW_UP_STATUSES } from '../scoring';
import type { LeadAggregates, LeadRecord, LeadSnapshotRecord, RunRecord } from './leadStore';

/** A date column as either driver returns it: epoch ms (SQLite) or Date (mssql). */
type DbDate = number | Date;

const isoOf = (d: DbDate | null): string | null => (d === null ? null : new Date(d).toISOString());

/** A row of lead_scoring_runs, as both stores read it. */
export interface RunRow {
  RunId: number;
  TriggerKind: RunRecord['trigger'];
  Status: RunRecord['status'];
  StartedAt: DbDate;
  FinishedAt: DbDate | null;
  RequestedLeads: number | null;
  LeadsRead: number;
  LeadsScored: number;
  LeadsSkipped: number;
  RowsChanged: number;
  SnapshotsWritten: number;
  DurationMs: number | null;
  ErrorCode: string | null;
  ErrorMessage: string | null;
  SummaryJson: string | null;
  /** Migration 005; UNIQUEIDENTIFIER reads upper-case from mssql, TEXT from SQLite. */
  RunKey?: string | null;
}

export function toRunRecord(r: RunRow): RunRecord {
  return {
    runId: r.RunId,
    runKey: r.RunKey?.toLowerCase() ?? null,
    trigger: r.TriggerKind,
    status: r.Status,
    startedAt: isoOf(r.StartedAt)!,
    finishedAt: isoOf(r.FinishedAt),
    requestedLeads: r.RequestedLeads,
    leadsRead: r.LeadsRead,
    leadsScored: r.LeadsScored,
    leadsSkipped: r.LeadsSkipped,
    rowsChanged: r.RowsChanged,
    snapshotsWritten: r.SnapshotsWritten,
    durationMs: r.DurationMs,
    errorCode: r.ErrorCode,
    errorMessage: r.ErrorMessage,
    summary: r.SummaryJson === null ? null : (JSON.parse(r.SummaryJson) as unknown),
  };
}

/** A lead row of the leads API query, as both stores read it. */
export interface LeadRow {
  LeadId: number;
  FirstName: string | null;
  LastName: string | null;
  Company: string | null;
  LeadStatus: string | null;
  LeadSource: string | null;
  EstimatedValue: number | null;
  HealthScore: number;
  VelocityScore: number;
  AIPriority: number;
  ConversionProbability: number;
  ChurnRisk: LeadRecord['churnRisk'];
  FollowUpStatus: LeadRecord['followUpStatus'];
  OverdueDays: number;
  RecommendationJson: string | null;
  ScoresLastUpdated: DbDate;
}

/**
 * A lead as the leads API lists it. `recommendationInvalid` is present (true) only when the row's RecommendationJson
 * is not valid JSON: `recommendation` is then null, so one corrupt row cannot fail a whole page.
 */
export type ListedLead = LeadRecord & { readonly recommendationInvalid?: true };

/** Whether a listed lead's stored recommendation was unreadable (see `ListedLead`). */
export function hasInvalidRecommendation(lead: LeadRecord): boolean {
  return 'recommendationInvalid' in lead && lead.recommendationInvalid === true;
}

function parseRecommendation(json: string | null): { value: unknown } | undefined {
  if (json === null) return { value: null };
  try {
    return { value: JSON.parse(json) as unknown };
  } catch {
    return undefined; // a CRM writer or a restore bypassed the json_valid()/ISJSON check: reported, never thrown
  }
}

export function toLeadRecord(r: LeadRow): ListedLead {
  const recommendation = parseRecommendation(r.RecommendationJson);
  const lead: LeadRecord = {
    leadId: r.LeadId,
    name: [r.FirstName, r.LastName].filter(Boolean).join(' ') || null,
    company: r.Company ?? null,
    status: r.LeadStatus ?? null,
    source: r.LeadSource ?? null,
    estimatedValue: r.EstimatedValue ?? null,
    healthScore: r.HealthScore,
    velocityScore: r.VelocityScore,
    aiPriority: r.AIPriority,
    band: bandLetterOf(r.AIPriority),
    conversionProbability: r.ConversionProbability,
    churnRisk: r.ChurnRisk,
    followUpStatus: r.FollowUpStatus,
    overdueDays: r.OverdueDays,
    recommendation: recommendation ? recommendation.value : null,
    scoresLastUpdated: isoOf(r.ScoresLastUpdated)!,
  };
  return recommendation ? lead : { ...lead, recommendationInvalid: true };
}

/** The aggregates row (count, averages, total overdue, `c_<tier>` and `f_<status>` counts) as the API returns it. */
export function toLeadAggregates(agg: Record<string, number | null | undefined>): LeadAggregates {
  const round2 = (x: number | null | undefined): number | null =>
    x === null || x === undefined ? null : Math.round(x * 100) / 100;
  return {
    count: agg.count ?? 0,
    churnRisk: Object.fromEntries(
      CHURN_RISKS.map((c) => [c, agg[`c_${c}`] ?? 0]),
    ) as LeadAggregates['churnRisk'],
    followUpStatus: Object.fromEntries(
      FOLLOW_UP_STATUSES.map((f) => [f, agg[`f_${f}`] ?? 0]),
    ) as LeadAggregates['followUpStatus'],
    averageHealth: round2(agg.avgHealth),
    averagePriority: round2(agg.avgPriority),
    averageConversion: round2(agg.avgConversion),
    totalOverdueDays: Number(agg.totalOverdue ?? 0),
  };
}

/** A row of lead_velocity_snapshots as both stores read it: SnapshotDate is TEXT (SQLite) or DATE (mssql, a Date). */
export interface SnapshotRow {
  SnapshotDate: string | Date;
  HealthScore: number;
  VelocityScore: number;
  AIPriority: number | null;
  Activity7d: number;
  Activity30d: number;
}

export function toSnapshotRecord(r: SnapshotRow): LeadSnapshotRecord {
  return {
    date: typeof r.SnapshotDate === 'string' ? r.SnapshotDate : r.SnapshotDate.toISOString().slice(0, 10),
    healthScore: r.HealthScore,
    velocityScore: r.VelocityScore,
    aiPriority: r.AIPriority ?? null,
    activity7d: r.Activity7d,
    activity30d: r.Activity30d,
  };
}
