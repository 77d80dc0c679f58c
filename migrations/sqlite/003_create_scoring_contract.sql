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
-- The twin of dbo.li_scoring_input(@AsOf): the as-of instant is li_now(), the clock the store registers on the run's
-- read connection (the job passes the end of the run's UTC day). The feature aggregation joined below is one
-- definition shared with the training view (src/mapping/sqliteFeatures.ts).
CREATE VIEW v_lead_scoring_input AS
SELECT
    l.LeadId,
    COALESCE(sm.Stage, l.LeadStatus) AS LeadStatus,
    l.LeadSource,
    l.EstimatedValue,
    l.CreatedDate,
    l.StatusChangedDate,
    -- a later contact does not count yet; a value that is not an epoch-ms integer passes through, for the reader to
    -- count as the bad date it is
    CASE WHEN typeof(l.LastContactDate) <> 'integer' OR l.LastContactDate <= CAST(li_now() AS INTEGER)
         THEN l.LastContactDate END AS LastContactDate,
    $(FeatureColumns),
    snap.HealthScore AS PrevHealthScore,
    snap.Activity7d AS PrevActivity7d$(LeadExtras)
FROM li_leads AS l
LEFT JOIN lead_status_map AS sm ON sm.StatusKey = l.StatusKey
$(FeaturesAsOfRun)
LEFT JOIN lead_velocity_snapshots AS snap
  ON snap.LeadId = l.LeadId
 AND snap.SnapshotDate = (SELECT MAX(s.SnapshotDate) FROM lead_velocity_snapshots AS s
                           WHERE s.LeadId = l.LeadId AND s.SnapshotDate < li_today())
WHERE COALESCE(sm.Category, 'active') = 'active';
