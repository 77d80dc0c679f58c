-- 005_alter_scoring_runs.sql
-- The run lifecycle (docs/azure-sql.md, "Safety"): dbo.lead_scoring_runs gets
--   * RunKey, the client key the job generates for each run: recording a start is an INSERT … WHERE NOT EXISTS on it,
--     so a retry after a lost acknowledgement finds the row instead of inserting a second one (UNIQUE). Rows that
--     exist already get a NEWID() of their own; the default also serves an older app version during a deploy;
--   * the trigger 'watch': runs of `lead-intel watch` are recorded as such, not as one-off CLI runs;
--   * the status 'abandoned': a run whose process died (its session, and with it the sp_getapplock lock, went away)
--     is closed so by the next run that takes the lock, instead of reading 'running' for ever.
-- Adding a NOT NULL column whose default is NEWID() writes every existing row (a size-of-data change); the run
-- history is small (48 rows a day at the default schedule). Idempotent: every step is guarded.
SET XACT_ABORT ON;
-- a Sch-M request on a view or table queued behind a running read would block every later reader: give up after 5 s
SET LOCK_TIMEOUT 5000;
BEGIN TRANSACTION;

IF COL_LENGTH(N'dbo.lead_scoring_runs', N'RunKey') IS NULL
    ALTER TABLE dbo.lead_scoring_runs ADD RunKey UNIQUEIDENTIFIER NOT NULL
        CONSTRAINT DF_runs_RunKey DEFAULT NEWID()
        CONSTRAINT UQ_runs_RunKey UNIQUE;

IF NOT EXISTS (
    SELECT 1 FROM sys.check_constraints
    WHERE parent_object_id = OBJECT_ID(N'dbo.lead_scoring_runs') AND name = N'CK_runs_Status'
      AND definition LIKE N'%abandoned%'
)
BEGIN
    IF OBJECT_ID(N'dbo.CK_runs_Status', N'C') IS NOT NULL
        ALTER TABLE dbo.lead_scoring_runs DROP CONSTRAINT CK_runs_Status;
    ALTER TABLE dbo.lead_scoring_runs ADD CONSTRAINT CK_runs_Status
        CHECK (Status IN ('running', 'succeeded', 'failed', 'abandoned'));
END;

IF NOT EXISTS (
    SELECT 1 FROM sys.check_constraints
    WHERE parent_object_id = OBJECT_ID(N'dbo.lead_scoring_runs') AND name = N'CK_runs_TriggerKind'
      AND definition LIKE N'%watch%'
)
BEGIN
    IF OBJECT_ID(N'dbo.CK_runs_TriggerKind', N'C') IS NOT NULL
        ALTER TABLE dbo.lead_scoring_runs DROP CONSTRAINT CK_runs_TriggerKind;
    ALTER TABLE dbo.lead_scoring_runs ADD CONSTRAINT CK_runs_TriggerKind
        CHECK (TriggerKind IN ('timer', 'http', 'cli', 'watch'));
END;

COMMIT TRANSACTION;
