import type { Database } from 'better-sqlite3';
import { CHURN_RISKS, FOLLOW_UP_STATUSES } from '../../scoring';
import { CLOSED_STATUSES, type LeadPage, type LeadQuery, type LeadRecord, type LeadSort } from '../leadStore';

/** Sort key column and direction: priority, overdue and conversion highest first; health lowest first (triage). */
const SORTS: Readonly<Record<LeadSort, { column: string; desc: boolean }>> = {
  priority: { column: 'AIPriority', desc: true },
  health: { column: 'HealthScore', desc: false },
  overdue: { column: 'OverdueDays', desc: true },
  conversion: { column: 'ConversionProbability', desc: true },
};

interface LeadRow {
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
  ScoresLastUpdated: number;
}

/**
 * The leads API on the embedded store: filters as parameters (never string-built values), keyset paging on
 * (sort column, LeadId) so pages stay stable while scores are rewritten between requests, and aggregates over the
 * whole filtered set in one pass.
 */
export function queryLeadsSqlite(db: Database, q: LeadQuery): LeadPage {
  const where: string[] = [
    'HealthScore IS NOT NULL',
    `COALESCE(LeadStatus, '') NOT IN (${CLOSED_STATUSES.map(() => '?').join(', ')})`,
  ];
  const params: unknown[] = [...CLOSED_STATUSES];
  const inList = (column: string, values: readonly string[] | undefined): void => {
    if (values && values.length > 0) {
      where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    }
  };
  inList('ChurnRisk', q.churnRisk);
  inList('FollowUpStatus', q.followUpStatus);
  inList('LeadStatus', q.status);
  if (q.minPriority !== undefined) {
    where.push('AIPriority >= ?');
    params.push(q.minPriority);
  }
  if (q.maxHealth !== undefined) {
    where.push('HealthScore <= ?');
    params.push(q.maxHealth);
  }
  if (q.updatedSince !== undefined) {
    where.push('ScoresLastUpdated >= ?');
    params.push(q.updatedSince);
  }
  const filter = where.join(' AND ');

  const agg = db
    .prepare(
      `SELECT COUNT(*) AS count, AVG(HealthScore) AS avgHealth, AVG(AIPriority) AS avgPriority,
         AVG(ConversionProbability) AS avgConversion, COALESCE(SUM(OverdueDays), 0) AS totalOverdue,
         ${CHURN_RISKS.map((c) => `SUM(ChurnRisk = '${c}') AS "c_${c}"`).join(', ')},
         ${FOLLOW_UP_STATUSES.map((f) => `SUM(FollowUpStatus = '${f}') AS "f_${f}"`).join(', ')}
       FROM lead WHERE ${filter}`,
    )
    .get(...params) as Record<string, number | null>;

  const { column, desc } = SORTS[q.sort];
  const pageWhere = [filter];
  const pageParams = [...params];
  if (q.after) {
    pageWhere.push(`(${column} ${desc ? '<' : '>'} ? OR (${column} = ? AND LeadId > ?))`);
    pageParams.push(q.after.value, q.after.value, q.after.leadId);
  }
  const rows = db
    .prepare(
      `SELECT LeadId, FirstName, LastName, Company, LeadStatus, LeadSource, EstimatedValue, HealthScore, VelocityScore,
         AIPriority, ConversionProbability, ChurnRisk, FollowUpStatus, OverdueDays, RecommendationJson, ScoresLastUpdated
       FROM lead WHERE ${pageWhere.join(' AND ')}
       ORDER BY ${column} ${desc ? 'DESC' : 'ASC'}, LeadId ASC LIMIT ?`,
    )
    .all(...pageParams, q.limit + 1) as LeadRow[];

  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  const round2 = (x: number | null | undefined): number | null =>
    x === null || x === undefined ? null : Math.round(x * 100) / 100;
  return {
    leads: page.map((r) => ({
      leadId: r.LeadId,
      name: [r.FirstName, r.LastName].filter(Boolean).join(' ') || null,
      company: r.Company,
      status: r.LeadStatus,
      source: r.LeadSource,
      estimatedValue: r.EstimatedValue,
      healthScore: r.HealthScore,
      velocityScore: r.VelocityScore,
      aiPriority: r.AIPriority,
      conversionProbability: r.ConversionProbability,
      churnRisk: r.ChurnRisk,
      followUpStatus: r.FollowUpStatus,
      overdueDays: r.OverdueDays,
      recommendation: r.RecommendationJson === null ? null : (JSON.parse(r.RecommendationJson) as unknown),
      scoresLastUpdated: new Date(r.ScoresLastUpdated).toISOString(),
    })),
    next:
      more && last
        ? { sort: q.sort, value: last[column as keyof LeadRow] as number, leadId: last.LeadId }
        : null,
    aggregates: {
      count: agg.count ?? 0,
      churnRisk: Object.fromEntries(
        CHURN_RISKS.map((c) => [c, agg[`c_${c}`] ?? 0]),
      ) as LeadPage['aggregates']['churnRisk'],
      followUpStatus: Object.fromEntries(
        FOLLOW_UP_STATUSES.map((f) => [f, agg[`f_${f}`] ?? 0]),
      ) as LeadPage['aggregates']['followUpStatus'],
      averageHealth: round2(agg.avgHealth),
      averagePriority: round2(agg.avgPriority),
      averageConversion: round2(agg.avgConversion),
      totalOverdueDays: agg.totalOverdue ?? 0,
    },
  };
}
