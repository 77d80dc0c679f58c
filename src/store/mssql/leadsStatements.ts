/**
 * The leads API's list query on Azure SQL: one statement per filter shape, composed only of fixed fragments (values
 * always travel as parameters); re-exported by statements.ts, where the grammar tests find it.
 */
import { ACTIVE_SCORED, LEAD_RECORD_COLUMNS, LEADS_FROM } from './leadDetailStatements';

/** The leads API: filters, sort column and direction chosen among fixed fragments; values are parameters. */
export interface LeadsStatementShape {
  readonly churnRisk: number;
  readonly followUpStatus: number;
  readonly status: number;
  readonly minPriority: boolean;
  /** AIPriority ranges of the requested bands (`bandRanges`), each `@bandLo<i>`..`@bandHi<i>`. */
  readonly bandRanges: number;
  readonly maxHealth: boolean;
  readonly updatedSince: boolean;
  readonly owner: boolean;
  readonly search: boolean;
  readonly after: boolean;
  readonly sortColumn: 'AIPriority' | 'HealthScore' | 'OverdueDays' | 'ConversionProbability';
  readonly desc: boolean;
}

const list = (prefix: string, n: number): string =>
  Array.from({ length: n }, (_, i) => `@${prefix}${i}`).join(', ');

/** Active = the status map says so, or the status is not in it (as in the scoring input view). */
export function leadsFilter(s: LeadsStatementShape): string {
  const w = [ACTIVE_SCORED];
  if (s.churnRisk) w.push(`l.ChurnRisk IN (${list('churn', s.churnRisk)})`);
  if (s.followUpStatus) w.push(`l.FollowUpStatus IN (${list('fus', s.followUpStatus)})`);
  // the CRM's status values, matched like the status map: trimmed, case-insensitive
  if (s.status)
    w.push(
      `l.StatusKey IN (${Array.from({ length: s.status }, (_, i) => `UPPER(LTRIM(RTRIM(@status${i})))`).join(', ')})`,
    );
  if (s.minPriority) w.push('l.AIPriority >= @minPriority');
  // BETWEEN is inclusive at both ends: https://learn.microsoft.com/sql/t-sql/language-elements/between-transact-sql
  if (s.bandRanges)
    w.push(
      `(${Array.from({ length: s.bandRanges }, (_, i) => `l.AIPriority BETWEEN @bandLo${i} AND @bandHi${i}`).join(' OR ')})`,
    );
  if (s.maxHealth) w.push('l.HealthScore <= @maxHealth');
  if (s.updatedSince) w.push('l.ScoresLastUpdated >= @updatedSince');
  if (s.owner) w.push('l.OwnerUserId = @owner');
  // @search is a literal substring with its LIKE wildcards escaped by the adapter (\\ % _ [), compared under the
  // column's collation (https://learn.microsoft.com/sql/t-sql/language-elements/like-transact-sql, ESCAPE); a leading
  // wildcard cannot seek, so it filters the rows the other predicates leave
  if (s.search)
    w.push(
      `(l.FirstName LIKE @search ESCAPE '\\' OR l.LastName LIKE @search ESCAPE '\\' OR CONCAT(l.FirstName, N' ', l.LastName) LIKE @search ESCAPE '\\' OR l.Company LIKE @search ESCAPE '\\')`,
    );
  return w.join(' AND ');
}

export function queryLeadsStatement(s: LeadsStatementShape): string {
  const filter = leadsFilter(s);
  // the keyset continuation, led by a plain range on the sort column (redundant with the OR that follows) so that
  // the sort index can seek to the cursor instead of filtering from its start
  const c = `l.${s.sortColumn}`;
  const page = s.after
    ? ` AND ${c} ${s.desc ? '<=' : '>='} @afterValue AND (${c} ${s.desc ? '<' : '>'} @afterValue OR (${c} = @afterValue AND l.LeadId > @afterId))`
    : '';
  return `SELECT COUNT(*) AS count, AVG(CAST(l.HealthScore AS FLOAT)) AS avgHealth, AVG(CAST(l.AIPriority AS FLOAT)) AS avgPriority,
    AVG(CAST(l.ConversionProbability AS FLOAT)) AS avgConversion, COALESCE(SUM(CAST(l.OverdueDays AS BIGINT)), 0) AS totalOverdue,
    SUM(CASE WHEN l.ChurnRisk = 'low' THEN 1 ELSE 0 END) AS c_low, SUM(CASE WHEN l.ChurnRisk = 'medium' THEN 1 ELSE 0 END) AS c_medium,
    SUM(CASE WHEN l.ChurnRisk = 'high' THEN 1 ELSE 0 END) AS c_high, SUM(CASE WHEN l.ChurnRisk = 'critical' THEN 1 ELSE 0 END) AS c_critical,
    SUM(CASE WHEN l.FollowUpStatus = 'none' THEN 1 ELSE 0 END) AS f_none, SUM(CASE WHEN l.FollowUpStatus = 'overdue' THEN 1 ELSE 0 END) AS f_overdue,
    SUM(CASE WHEN l.FollowUpStatus = 'today' THEN 1 ELSE 0 END) AS f_today, SUM(CASE WHEN l.FollowUpStatus = 'this_week' THEN 1 ELSE 0 END) AS f_this_week,
    SUM(CASE WHEN l.FollowUpStatus = 'scheduled' THEN 1 ELSE 0 END) AS f_scheduled
FROM ${LEADS_FROM} WHERE ${filter};
SELECT TOP (@limit) ${LEAD_RECORD_COLUMNS}
FROM ${LEADS_FROM} WHERE ${filter}${page}
ORDER BY l.${s.sortColumn} ${s.desc ? 'DESC' : 'ASC'}, l.LeadId ASC;`;
}
