-- 006_add_snapshot_priority.sql
-- The trend (docs/scoring.md §Trend): dbo.lead_velocity_snapshots, the product's own table (not the CRM's), gets the
-- day's AIPriority next to its HealthScore, so that a lead's priority trend can be read from its snapshots.
--   * NULL for the rows written before this migration (no priority was kept then): the trend reads them as "no value
--     that day", never as 0; the snapshot MERGE fills it from the run's own write from now on.
--   * A NULL column without a default: no existing row gets a value written
--     (https://learn.microsoft.com/sql/t-sql/statements/alter-table-transact-sql, "Adding NULL columns").
--   * Its CHECK (0–100, as 001 puts on the lead table's AIPriority) is added WITH NOCHECK, as 001 does: "WITH CHECK is
--     assumed for new constraints" and validates every row (same page, WITH CHECK | WITH NOCHECK) — a scan of up to
--     180 days of snapshots under the Sch-M lock, for a column that is NULL in every row. New rows are still checked.
--     In dynamic SQL because the column does not exist when this batch compiles. Both in one transaction: column and
--     constraint come together or not at all.
-- No index: the detail endpoint reads one lead's last 30 days through the clustered key (LeadId, SnapshotDate).
-- Idempotent: guarded by COL_LENGTH, NULL for a column that does not exist
-- (https://learn.microsoft.com/sql/t-sql/functions/col-length-transact-sql).
SET XACT_ABORT ON;
-- a Sch-M request queued behind a running snapshot read would block every later reader: give up after 5 s
SET LOCK_TIMEOUT 5000;
BEGIN TRANSACTION;

IF COL_LENGTH(N'dbo.lead_velocity_snapshots', N'AIPriority') IS NULL
    ALTER TABLE dbo.lead_velocity_snapshots ADD AIPriority TINYINT NULL;
IF OBJECT_ID(N'dbo.CK_snap_AIPriority', N'C') IS NULL
    EXEC sp_executesql N'ALTER TABLE dbo.lead_velocity_snapshots WITH NOCHECK ADD CONSTRAINT CK_snap_AIPriority CHECK (AIPriority BETWEEN 0 AND 100);';

COMMIT TRANSACTION;
