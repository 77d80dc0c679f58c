-- SQLite twin of ../005_alter_scoring_runs.sql: RunKey (UNIQUE, the run's client key), the trigger 'watch' and the
-- status 'abandoned'.
-- SQLite cannot change a CHECK constraint or add a UNIQUE column in place, so the table is rebuilt in this
-- migration's transaction (https://www.sqlite.org/lang_altertable.html#otheralter): every row and RunId is kept, and
-- rows that exist already get a random key of their own. The columns keep 003's order, RunKey last, as in T-SQL.
CREATE TABLE lead_scoring_runs_005 (
    RunId            INTEGER PRIMARY KEY,
    TriggerKind      TEXT    NOT NULL CHECK (TriggerKind IN ('timer', 'http', 'cli', 'watch')),
    StartedAt        INTEGER NOT NULL,
    FinishedAt       INTEGER NULL,
    Status           TEXT    NOT NULL CHECK (Status IN ('running', 'succeeded', 'failed', 'abandoned')),
    RequestedLeads   INTEGER NULL,
    LeadsRead        INTEGER NOT NULL DEFAULT 0,
    LeadsScored      INTEGER NOT NULL DEFAULT 0,
    LeadsSkipped     INTEGER NOT NULL DEFAULT 0,
    RowsChanged      INTEGER NOT NULL DEFAULT 0,
    SnapshotsWritten INTEGER NOT NULL DEFAULT 0,
    DurationMs       INTEGER NULL,
    ErrorCode        TEXT    NULL,
    ErrorMessage     TEXT    NULL,
    SummaryJson      TEXT    NULL,
    RunKey           TEXT    NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16))))
);
INSERT INTO lead_scoring_runs_005 (RunId, TriggerKind, StartedAt, FinishedAt, Status, RequestedLeads, LeadsRead,
    LeadsScored, LeadsSkipped, RowsChanged, SnapshotsWritten, DurationMs, ErrorCode, ErrorMessage, SummaryJson, RunKey)
SELECT RunId, TriggerKind, StartedAt, FinishedAt, Status, RequestedLeads, LeadsRead, LeadsScored, LeadsSkipped,
    RowsChanged, SnapshotsWritten, DurationMs, ErrorCode, ErrorMessage, SummaryJson, lower(hex(randomblob(16)))
FROM lead_scoring_runs;
DROP TABLE lead_scoring_runs;
ALTER TABLE lead_scoring_runs_005 RENAME TO lead_scoring_runs;
CREATE INDEX IF NOT EXISTS IX_lead_scoring_runs_StartedAt ON lead_scoring_runs (StartedAt DESC);
