/**
 * The lead API's shared T-SQL pieces and the lead detail read (`GET /api/leads/{id}`). Every value is a parameter.
 */

/** The mapped lead view with the status map: an active lead is one the map calls active, or does not list. */
export const LEADS_FROM =
  'dbo.li_leads AS l LEFT JOIN dbo.lead_status_map AS sm ON sm.StatusKey = l.StatusKey';

/** Active and scored: the leads the API shows (as in the scoring input view). */
export const ACTIVE_SCORED = `l.HealthScore IS NOT NULL AND COALESCE(sm.Category, 'active') = 'active'`;

/** The columns of a `LeadRow` (rowMappings.ts); FLOAT casts so the driver returns numbers, not strings. */
export const LEAD_RECORD_COLUMNS = `l.LeadId, l.FirstName, l.LastName, l.Company, l.LeadStatus, l.LeadSource, CAST(l.EstimatedValue AS FLOAT) AS EstimatedValue,
    l.HealthScore, l.VelocityScore, l.AIPriority, CAST(l.ConversionProbability AS FLOAT) AS ConversionProbability, l.ChurnRisk,
    l.FollowUpStatus, l.OverdueDays, l.RecommendationJson, l.ScoresLastUpdated`;

/**
 * One lead and its snapshots from @fromDay (DATE) on, oldest first: two result sets, one round trip. The first is empty
 * for an unknown, closed or unscored lead (the adapter then answers null and ignores the second). The snapshot read
 * seeks the clustered primary key (LeadId, SnapshotDate) of migration 001, so it reads only this lead's rows.
 */
export const LEAD_DETAIL = `SELECT ${LEAD_RECORD_COLUMNS}
FROM ${LEADS_FROM}
WHERE l.LeadId = @leadId AND ${ACTIVE_SCORED};
SELECT s.SnapshotDate, s.HealthScore, s.VelocityScore, s.AIPriority, s.Activity7d, s.Activity30d
FROM dbo.lead_velocity_snapshots AS s
WHERE s.LeadId = @leadId AND s.SnapshotDate >= @fromDay
ORDER BY s.SnapshotDate ASC;`;
