-- 005_alter_scoring_runs.rollback.sql
-- Undoes 005: abandoned runs read 'failed' again and watch runs 'cli' (what 003 knows), the old CHECKs come back,
-- RunKey goes.
SET XACT_ABORT ON;
-- a Sch-M request on a view or table queued behind a running read would block every later reader: give up after 5 s
SET LOCK_TIMEOUT 5000;
BEGIN TRANSACTION;

UPDATE dbo.lead_scoring_runs SET Status = 'failed' WHERE Status = 'abandoned';
IF OBJECT_ID(N'dbo.CK_runs_Status', N'C') IS NOT NULL
    ALTER TABLE dbo.lead_scoring_runs DROP CONSTRAINT CK_runs_Status;
ALTER TABLE dbo.lead_scoring_runs ADD CONSTRAINT CK_runs_Status CHECK (Status IN ('running', 'succeeded', 'failed'));
UPDATE dbo.lead_scoring_runs SET TriggerKind = 'cli' WHERE TriggerKind = 'watch';
IF OBJECT_ID(N'dbo.CK_runs_TriggerKind', N'C') IS NOT NULL
    ALTER TABLE dbo.lead_scoring_runs DROP CONSTRAINT CK_runs_TriggerKind;
ALTER TABLE dbo.lead_scoring_runs ADD CONSTRAINT CK_runs_TriggerKind CHECK (TriggerKind IN ('timer', 'http', 'cli'));
IF OBJECT_ID(N'dbo.UQ_runs_RunKey', N'UQ') IS NOT NULL
    ALTER TABLE dbo.lead_scoring_runs DROP CONSTRAINT UQ_runs_RunKey;
IF OBJECT_ID(N'dbo.DF_runs_RunKey', N'D') IS NOT NULL
    ALTER TABLE dbo.lead_scoring_runs DROP CONSTRAINT DF_runs_RunKey;
IF COL_LENGTH(N'dbo.lead_scoring_runs', N'RunKey') IS NOT NULL
    ALTER TABLE dbo.lead_scoring_runs DROP COLUMN RunKey;

COMMIT TRANSACTION;
