-- 006_add_snapshot_priority.rollback.sql
-- Undoes 006: the snapshots lose their AIPriority (the priority trend then reads "no value" for every day).
SET XACT_ABORT ON;
-- a Sch-M request queued behind a running snapshot read would block every later reader: give up after 5 s
SET LOCK_TIMEOUT 5000;
BEGIN TRANSACTION;

IF OBJECT_ID(N'dbo.CK_snap_AIPriority', N'C') IS NOT NULL
    ALTER TABLE dbo.lead_velocity_snapshots DROP CONSTRAINT CK_snap_AIPriority;
IF COL_LENGTH(N'dbo.lead_velocity_snapshots', N'AIPriority') IS NOT NULL
    ALTER TABLE dbo.lead_velocity_snapshots DROP COLUMN AIPriority;

COMMIT TRANSACTION;
