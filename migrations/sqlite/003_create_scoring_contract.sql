-- li:rerun-on-change (every statement is guarded or replaces what it creates; applied again when the mapping changes it)
-- SQLite twin of ../003_create_scoring_contract.sql. No table types (SQLite has no TVPs: the store binds values);
-- the run lock is a table here (Azure SQL uses sp_getapplock). The view reads the run's clock from li_now(), a
-- function the store registers on its connection (epoch ms), so a run's windows match the `now` it scores with.
CREATE TABLE IF NOT EXISTS lead_scoring_runs (
    RunId            INTEGER PRIMARY KEY,
    TriggerKind      TEXT    NOT NULL CHECK (TriggerKind IN ('timer', 'http', 'cli')),
    StartedAt        INTEGER NOT NULL,
    FinishedAt       INTEGER NULL,
    Status           TEXT    NOT NULL CHECK (Status IN ('running', 'succeeded', 'failed')),
    RequestedLeads   INTEGER NULL,
    LeadsRead        INTEGER NOT NULL DEFAULT 0,
    LeadsScored      INTEGER NOT NULL DEFAULT 0,
    LeadsSkipped     INTEGER NOT NULL DEFAULT 0,
    RowsChanged      INTEGER NOT NULL DEFAULT 0,
    SnapshotsWritten INTEGER NOT NULL DEFAULT 0,
    DurationMs       INTEGER NULL,
    ErrorCode        TEXT    NULL,
    ErrorMessage     TEXT    NULL,
    SummaryJson      TEXT    NULL
);
CREATE INDEX IF NOT EXISTS IX_lead_scoring_runs_StartedAt ON lead_scoring_runs (StartedAt DESC);

CREATE TABLE IF NOT EXISTS lead_scoring_lock (
    Name      TEXT    PRIMARY KEY,
    RunId     INTEGER NULL,
    Owner     TEXT    NOT NULL,
    StartedAt INTEGER NOT NULL,
    ExpiresAt INTEGER NOT NULL
);

DROP VIEW IF EXISTS v_lead_scoring_input;
CREATE VIEW v_lead_scoring_input AS
SELECT
    l.LeadId,
    COALESCE(sm.Stage, l.LeadStatus) AS LeadStatus,
    l.LeadSource,
    l.EstimatedValue,
    l.CreatedDate,
    l.StatusChangedDate,
    l.LastContactDate,
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
    snap.HealthScore AS PrevHealthScore,
    snap.Activity7d AS PrevActivity7d$(LeadExtras)
FROM li_leads AS l
LEFT JOIN lead_status_map AS sm ON sm.StatusKey = l.StatusKey
-- Aggregated per lead in one ordered pass over each child index (no per-lead seeks), then joined.
LEFT JOIN (
    SELECT
        f.LeadId,
        MIN(CASE WHEN f.State = 'pending' THEN f.DueDate END) AS NextFollowUpDueDate,
        SUM(f.State = 'pending') AS PendingFollowUps,
        SUM(f.State = 'pending' AND f.DueDate < (li_now() / 86400000) * 86400000) AS OverdueFollowUps,
        SUM(f.State = 'completed') AS CompletedFollowUps,
        SUM(f.State = 'completed' AND f.CompletedDate > li_now() - 7 * 86400000 AND f.CompletedDate <= li_now()) AS CompletedFollowUps7d,
        SUM(f.State = 'completed' AND f.CompletedDate > li_now() - 30 * 86400000 AND f.CompletedDate <= li_now()) AS CompletedFollowUps30d,
        MAX(CASE WHEN f.State = 'completed' AND f.CompletedDate <= li_now() THEN f.CompletedDate END) AS LastFollowUpCompletedDate
    FROM li_follow_ups AS f
    GROUP BY f.LeadId
) AS fu ON fu.LeadId = l.LeadId
LEFT JOIN (
    SELECT
        v.LeadId,
        SUM(v.VisitDate <= li_now()) AS Visits,
        SUM(v.VisitDate > li_now() - 7 * 86400000 AND v.VisitDate <= li_now()) AS Visits7d,
        SUM(v.VisitDate > li_now() - 30 * 86400000 AND v.VisitDate <= li_now()) AS Visits30d,
        MAX(CASE WHEN v.VisitDate <= li_now() THEN v.VisitDate END) AS LastVisitDate
    FROM li_visits AS v
    GROUP BY v.LeadId
) AS vi ON vi.LeadId = l.LeadId
LEFT JOIN lead_velocity_snapshots AS snap
  ON snap.LeadId = l.LeadId
 AND snap.SnapshotDate = (SELECT MAX(s.SnapshotDate) FROM lead_velocity_snapshots AS s
                           WHERE s.LeadId = l.LeadId AND s.SnapshotDate < li_today())
WHERE COALESCE(sm.Category, 'active') = 'active';
