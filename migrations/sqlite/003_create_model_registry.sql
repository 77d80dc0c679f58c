-- SQLite twin of ../003_create_model_registry.sql.
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
    COALESCE(vi.Visits30d, 0) AS Visits30d,
    l.LeadStatus AS ClosedStatus,
    l.ClosedDate
FROM lead AS l
LEFT JOIN (
    SELECT
        f.LeadId,
        MIN(CASE WHEN f.Status = 'Pending' OR (f.Status = 'Completed' AND f.CompletedDate > c.ClosedDate) THEN f.DueDate END) AS NextFollowUpDueDate,
        SUM(f.Status = 'Pending' OR (f.Status = 'Completed' AND f.CompletedDate > c.ClosedDate)) AS PendingFollowUps,
        SUM((f.Status = 'Pending' OR (f.Status = 'Completed' AND f.CompletedDate > c.ClosedDate))
            AND f.DueDate < (c.ClosedDate / 86400000) * 86400000) AS OverdueFollowUps,
        SUM(f.Status = 'Completed' AND f.CompletedDate <= c.ClosedDate) AS CompletedFollowUps,
        SUM(f.Status = 'Completed' AND f.CompletedDate <= c.ClosedDate AND f.CompletedDate > c.ClosedDate - 7 * 86400000) AS CompletedFollowUps7d,
        SUM(f.Status = 'Completed' AND f.CompletedDate <= c.ClosedDate AND f.CompletedDate > c.ClosedDate - 30 * 86400000) AS CompletedFollowUps30d,
        MAX(CASE WHEN f.Status = 'Completed' AND f.CompletedDate <= c.ClosedDate THEN f.CompletedDate END) AS LastFollowUpCompletedDate
    FROM FollowUps AS f JOIN lead AS c ON c.LeadId = f.LeadId
    WHERE c.ClosedDate IS NOT NULL AND f.CreatedDate <= c.ClosedDate
    GROUP BY f.LeadId
) AS fu ON fu.LeadId = l.LeadId
LEFT JOIN (
    SELECT
        v.LeadId,
        COUNT(*) AS Visits,
        SUM(v.VisitDate > c.ClosedDate - 7 * 86400000) AS Visits7d,
        SUM(v.VisitDate > c.ClosedDate - 30 * 86400000) AS Visits30d,
        MAX(v.VisitDate) AS LastVisitDate
    FROM Visit AS v JOIN lead AS c ON c.LeadId = v.LeadId
    WHERE c.ClosedDate IS NOT NULL AND v.VisitDate <= c.ClosedDate
    GROUP BY v.LeadId
) AS vi ON vi.LeadId = l.LeadId
WHERE l.LeadStatus IN ('Won', 'Lost', 'Disqualified', 'Closed') AND l.ClosedDate IS NOT NULL;
