/**
 * THE FEATURE AGGREGATION of the embedded store, one definition for the scoring input and the training view (the
 * twin of T-SQL's dbo.li_lead_features_at): a lead's follow-up and visit features as of an instant `asOf`, using only
 * what was recorded by then — follow-ups created by then (a follow-up completed after it was still pending), visits
 * up to it, 7- and 30-day windows ending at it, overdue = due before the instant's UTC day. SQLite has no
 * table-valued functions, so the one definition is rendered twice: as of the run (`CAST(li_now() AS INTEGER)`, the
 * store's clock) for the scoring input, as of each lead's close date for the training view. Dates are epoch ms;
 * the CASTs keep the day arithmetic integral (a REAL clock made a follow-up due this morning "overdue").
 */
export function sqliteFeatureJoins(asOf: 'run' | 'closeDate'): string {
  const A = asOf === 'run' ? 'CAST(li_now() AS INTEGER)' : 'c.ClosedDate';
  // as of each lead's close: join the lead (c) to each follow-up and visit row
  const join = (x: string): string =>
    asOf === 'run' ? '' : ` JOIN li_leads AS c ON c.LeadId = ${x}.LeadId AND c.ClosedDate IS NOT NULL`;
  const pending = `(f.State = 'pending' OR (f.State = 'completed' AND f.CompletedDate > ${A}))`;
  const completed = `(f.State = 'completed' AND f.CompletedDate <= ${A})`;
  return `LEFT JOIN (
    SELECT
        f.LeadId,
        MIN(CASE WHEN ${pending} THEN f.DueDate END) AS NextFollowUpDueDate,
        SUM(${pending}) AS PendingFollowUps,
        SUM(${pending} AND f.DueDate < (CAST(${A} AS INTEGER) / 86400000) * 86400000) AS OverdueFollowUps,
        SUM(${completed}) AS CompletedFollowUps,
        SUM(${completed} AND f.CompletedDate > ${A} - 7 * 86400000) AS CompletedFollowUps7d,
        SUM(${completed} AND f.CompletedDate > ${A} - 30 * 86400000) AS CompletedFollowUps30d,
        MAX(CASE WHEN ${completed} THEN f.CompletedDate END) AS LastFollowUpCompletedDate
    FROM li_follow_ups AS f${join('f')}
    WHERE (f.CreatedDate IS NULL OR f.CreatedDate <= ${A})
    GROUP BY f.LeadId
) AS fu ON fu.LeadId = l.LeadId
LEFT JOIN (
    SELECT
        v.LeadId,
        COUNT(*) AS Visits,
        SUM(v.VisitDate > ${A} - 7 * 86400000) AS Visits7d,
        SUM(v.VisitDate > ${A} - 30 * 86400000) AS Visits30d,
        MAX(v.VisitDate) AS LastVisitDate
    FROM li_visits AS v${join('v')}
    WHERE v.VisitDate <= ${A}
    GROUP BY v.LeadId
) AS vi ON vi.LeadId = l.LeadId`;
}

/** The feature columns both views select from the joins above, in the reader's order. */
export const SQLITE_FEATURE_COLUMNS = `fu.LastFollowUpCompletedDate,
    vi.LastVisitDate,
    fu.NextFollowUpDueDate,
    COALESCE(fu.PendingFollowUps, 0) AS PendingFollowUps,
    COALESCE(fu.OverdueFollowUps, 0) AS OverdueFollowUps,
    COALESCE(fu.CompletedFollowUps, 0) AS CompletedFollowUps,
    COALESCE(fu.CompletedFollowUps7d, 0) AS CompletedFollowUps7d,
    COALESCE(fu.CompletedFollowUps30d, 0) AS CompletedFollowUps30d,
    COALESCE(vi.Visits, 0) AS Visits,
    COALESCE(vi.Visits7d, 0) AS Visits7d,
    COALESCE(vi.Visits30d, 0) AS Visits30d`;
