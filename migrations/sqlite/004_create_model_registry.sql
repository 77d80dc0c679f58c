-- li:rerun-on-change (every statement is guarded or replaces what it creates; applied again when the mapping changes it)
-- SQLite twin of ../004_create_model_registry.sql.
CREATE TABLE IF NOT EXISTS lead_scoring_models (
    ModelId     INTEGER PRIMARY KEY,
    Version     TEXT    NOT NULL,
    TrainedAt   INTEGER NOT NULL,
    WindowFrom  INTEGER NULL,
    WindowTo    INTEGER NULL,
    Published   INTEGER NOT NULL DEFAULT 0,
    Won         INTEGER NOT NULL,
    Lost        INTEGER NOT NULL,
    HoldoutAuc  REAL    NULL,
    FeatureList TEXT    NULL,
    ModelJson   TEXT    NULL,
    Note        TEXT    NULL
);
CREATE INDEX IF NOT EXISTS IX_lead_scoring_models_TrainedAt ON lead_scoring_models (TrainedAt DESC, Published);

DROP VIEW IF EXISTS v_lead_training_input;
CREATE VIEW v_lead_training_input AS
SELECT
    l.LeadId,
    l.LeadSource,
    l.EstimatedValue,
    l.CreatedDate,
    CASE WHEN l.LastContactDate <= l.ClosedDate THEN l.LastContactDate END AS LastContactDate,
    fu.LastFollowUpCompletedDate,
    vi.LastVisitDate,
    fu.NextFollowUpDueDate,
    COALESCE(fu.PendingFollowUps, 0) AS PendingFollowUps,
    COALESCE(fu.OverdueFollowUps, 0) AS OverdueFollowUps,
    COALESCE(fu.CompletedFollowUps, 0) AS CompletedFollowUps,
    COALESCE(fu.CompletedFollowUps7d, 0) AS CompletedFollowUps7d,
    COALESCE(fu.CompletedFollowUps30d, 0) AS CompletedFollowUps30d,
    COALESCE(vi.Visits, 0) AS Visits,
    COALESCE(vi.Visits7d, 0) AS Visits7d,
    COALESCE(vi.Visits30d, 0) AS Visits30d$(LeadExtras),
    sm.Category AS Outcome,
    l.ClosedDate
FROM li_leads AS l
JOIN lead_status_map AS sm ON sm.StatusKey = l.StatusKey
LEFT JOIN (
    SELECT
        f.LeadId,
        MIN(CASE WHEN f.State = 'pending' OR (f.State = 'completed' AND f.CompletedDate > c.ClosedDate) THEN f.DueDate END) AS NextFollowUpDueDate,
        SUM(f.State = 'pending' OR (f.State = 'completed' AND f.CompletedDate > c.ClosedDate)) AS PendingFollowUps,
        SUM((f.State = 'pending' OR (f.State = 'completed' AND f.CompletedDate > c.ClosedDate))
            AND f.DueDate < (c.ClosedDate / 86400000) * 86400000) AS OverdueFollowUps,
        SUM(f.State = 'completed' AND f.CompletedDate <= c.ClosedDate) AS CompletedFollowUps,
        SUM(f.State = 'completed' AND f.CompletedDate <= c.ClosedDate AND f.CompletedDate > c.ClosedDate - 7 * 86400000) AS CompletedFollowUps7d,
        SUM(f.State = 'completed' AND f.CompletedDate <= c.ClosedDate AND f.CompletedDate > c.ClosedDate - 30 * 86400000) AS CompletedFollowUps30d,
        MAX(CASE WHEN f.State = 'completed' AND f.CompletedDate <= c.ClosedDate THEN f.CompletedDate END) AS LastFollowUpCompletedDate
    FROM li_follow_ups AS f JOIN li_leads AS c ON c.LeadId = f.LeadId
    WHERE c.ClosedDate IS NOT NULL AND (f.CreatedDate IS NULL OR f.CreatedDate <= c.ClosedDate)
    GROUP BY f.LeadId
) AS fu ON fu.LeadId = l.LeadId
LEFT JOIN (
    SELECT
        v.LeadId,
        COUNT(*) AS Visits,
        SUM(v.VisitDate > c.ClosedDate - 7 * 86400000) AS Visits7d,
        SUM(v.VisitDate > c.ClosedDate - 30 * 86400000) AS Visits30d,
        MAX(v.VisitDate) AS LastVisitDate
    FROM li_visits AS v JOIN li_leads AS c ON c.LeadId = v.LeadId
    WHERE c.ClosedDate IS NOT NULL AND v.VisitDate <= c.ClosedDate
    GROUP BY v.LeadId
) AS vi ON vi.LeadId = l.LeadId
WHERE sm.Category IN ('won', 'lost') AND l.ClosedDate IS NOT NULL;
