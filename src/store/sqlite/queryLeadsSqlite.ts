import type { Database } from 'better-sqlite3';
import { statusKey } from '../../mapping';
import { bandRanges, CHURN_RISKS, FOLLOW_UP_STATUSES } from '../../scoring';
import type { LeadDetail, LeadPage, LeadQuery, LeadSort } from '../leadStore';
import {
  toLeadAggregates,
  toLeadRecord,
  toSnapshotRecord,
  type LeadRow,
  type SnapshotRow,
} from '../rowMappings';

const LEADS_FROM = 'li_leads AS l LEFT JOIN lead_status_map AS sm ON sm.StatusKey = l.StatusKey';
const ACTIVE_SCORED = `HealthScore IS NOT NULL AND COALESCE(sm.Category, 'active') = 'active'`;
const LEAD_RECORD_COLUMNS = `LeadId, FirstName, LastName, Company, LeadStatus, LeadSource, EstimatedValue, HealthScore,
  VelocityScore, AIPriority, ConversionProbability, ChurnRisk, FollowUpStatus, OverdueDays, RecommendationJson,
  ScoresLastUpdated`;

/** Sort key column and direction: priority, overdue and conversion highest first; health lowest first (triage). */
const SORTS: Readonly<Record<LeadSort, { column: string; desc: boolean }>> = {
  priority: { column: 'AIPriority', desc: true },
  health: { column: 'HealthScore', desc: false },
  overdue: { column: 'OverdueDays', desc: true },
  conversion: { column: 'ConversionProbability', desc: true },
};

/**
 * The leads API on the embedded store: filters as parameters (never string-built values), keyset paging on
 * (sort column, LeadId) so pages stay stable while scores are rewritten between requests, and aggregates over the
 * whole filtered set in one pass.
 */
export function queryLeadsSqlite(db: Database, q: LeadQuery): LeadPage {
  const { filter, params } = leadsWhere(q);

  const agg = db
    .prepare(
      `SELECT COUNT(*) AS count, AVG(HealthScore) AS avgHealth, AVG(AIPriority) AS avgPriority,
         AVG(ConversionProbability) AS avgConversion, COALESCE(SUM(OverdueDays), 0) AS totalOverdue,
         ${CHURN_RISKS.map((c) => `SUM(ChurnRisk = '${c}') AS "c_${c}"`).join(', ')},
         ${FOLLOW_UP_STATUSES.map((f) => `SUM(FollowUpStatus = '${f}') AS "f_${f}"`).join(', ')}
       FROM ${LEADS_FROM} WHERE ${filter}`,
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
      `SELECT ${LEAD_RECORD_COLUMNS}
       FROM ${LEADS_FROM}
       WHERE ${pageWhere.join(' AND ')}
       ORDER BY ${column} ${desc ? 'DESC' : 'ASC'}, LeadId ASC LIMIT ?`,
    )
    .all(...pageParams, q.limit + 1) as LeadRow[];

  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return {
    leads: page.map(toLeadRecord),
    next:
      more && last
        ? { sort: q.sort, value: last[column as keyof LeadRow] as number, leadId: last.LeadId }
        : null,
    aggregates: toLeadAggregates(agg),
  };
}

/** One active, scored lead and its snapshots from `snapshotsFrom` ('YYYY-MM-DD') on, oldest first; null otherwise. */
export function leadDetailSqlite(db: Database, leadId: number, snapshotsFrom: string): LeadDetail | null {
  const row = db
    .prepare(`SELECT ${LEAD_RECORD_COLUMNS} FROM ${LEADS_FROM} WHERE l.LeadId = ? AND ${ACTIVE_SCORED}`)
    .get(leadId) as LeadRow | undefined;
  if (!row) return null;
  const snapshots = db
    .prepare(
      `SELECT SnapshotDate, HealthScore, VelocityScore, AIPriority, Activity7d, Activity30d
       FROM lead_velocity_snapshots WHERE LeadId = ? AND SnapshotDate >= ? ORDER BY SnapshotDate`,
    )
    .all(leadId, snapshotsFrom) as SnapshotRow[];
  return { lead: toLeadRecord(row), snapshots: snapshots.map(toSnapshotRecord) };
}

/** The WHERE clause of the list and its aggregates, with its parameters in order. */
function leadsWhere(q: LeadQuery): { filter: string; params: unknown[] } {
  // Active leads only, by the status map (statuses it does not list count as active, as in the scoring view).
  const where: string[] = [ACTIVE_SCORED];
  const params: unknown[] = [];
  const inList = (
    column: string,
    values: readonly string[] | undefined,
    key = (v: string): unknown => v,
  ): void => {
    if (values && values.length > 0) {
      where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values.map(key));
    }
  };
  inList('ChurnRisk', q.churnRisk);
  inList('FollowUpStatus', q.followUpStatus);
  // status values as the CRM writes them, matched like the status map: trimmed, case-insensitive
  inList('l.StatusKey', q.status, (v) => statusKey(v));
  if (q.minPriority !== undefined) {
    where.push('AIPriority >= ?');
    params.push(q.minPriority);
  }
  if (q.band && q.band.length > 0) {
    const ranges = bandRanges(q.band);
    where.push(`(${ranges.map(() => 'AIPriority BETWEEN ? AND ?').join(' OR ')})`);
    for (const r of ranges) params.push(...r);
  }
  if (q.maxHealth !== undefined) {
    where.push('HealthScore <= ?');
    params.push(q.maxHealth);
  }
  if (q.updatedSince !== undefined) {
    where.push('ScoresLastUpdated >= ?');
    params.push(q.updatedSince);
  }
  if (q.owner !== undefined) {
    where.push('l.OwnerUserId = ?');
    params.push(q.owner);
  }
  if (q.search !== undefined) {
    // a literal substring: the pattern's own wildcards escaped (https://www.sqlite.org/lang_expr.html#like)
    const pattern = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      `(l.FirstName LIKE ? ESCAPE '\\' OR l.LastName LIKE ? ESCAPE '\\' OR (l.FirstName || ' ' || l.LastName) LIKE ? ESCAPE '\\' OR l.Company LIKE ? ESCAPE '\\')`,
    );
    params.push(pattern, pattern, pattern, pattern);
  }
  const filter = where.join(' AND ');
  return { filter, params };
}
