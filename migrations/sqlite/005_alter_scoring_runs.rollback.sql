-- SQLite twin of ../005_alter_scoring_runs.rollback.sql: the table rebuilt in 003's shape, abandoned runs as failed.
CREATE TABLE lead_scoring_runs_003 (
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
INSERT INTO lead_scoring_runs_003 (RunId, TriggerKind, StartedAt, FinishedAt, Status, RequestedLeads, LeadsRead,
    LeadsScored, LeadsSkipped, RowsChanged, SnapshotsWritten, DurationMs, ErrorCode, ErrorMessage, SummaryJson)
SELECT RunId, CASE WHEN TriggerKind = 'watch' THEN 'cli' ELSE TriggerKind END, StartedAt, FinishedAt, CASE WHEN Status = 'abandoned' THEN 'failed' ELSE Status END,
    RequestedLeads, LeadsRead, LeadsScored, LeadsSkipped, RowsChanged, SnapshotsWritten, DurationMs, ErrorCode,
    ErrorMessage, SummaryJson
FROM lead_scoring_runs;
DROP TABLE lead_scoring_runs;
ALTER TABLE lead_scoring_runs_003 RENAME TO lead_scoring_runs;
CREATE INDEX IF NOT EXISTS IX_lead_scoring_runs_StartedAt ON lead_scoring_runs (StartedAt DESC);
