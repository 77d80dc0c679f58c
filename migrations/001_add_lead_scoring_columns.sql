-- 001_add_lead_scoring_columns.sql
-- The nine score columns on the CRM's lead table (with range and enum CHECK constraints), the product's own
-- dbo.lead_velocity_snapshots, and seven indexes, each for a query the product sends. A template: $(LeadTable),
-- $(LeadKey) … come from the mapping (lead-intel migrate renders them; `migrate --print` shows the result).
-- Written for a production CRM table that other applications use at the same time:
--   * Step 1 changes only metadata: nullable columns without a default, CHECK constraints WITH NOCHECK (existing
--     rows are all NULL in the new columns, so there is nothing to validate, and no scan runs under the schema
--     lock). It holds a schema-modification (Sch-M) lock on the lead table for milliseconds, in one short
--     transaction. SET LOCK_TIMEOUT: a Sch-M request queued behind a long CRM transaction would block every new
--     reader of the table while it waits, so it gives up after 5 s (error 1222) instead; rerun later, every step
--     is guarded. https://learn.microsoft.com/sql/t-sql/statements/set-lock-timeout-transact-sql
--   * Step 3 builds each index in its own batch, outside any transaction, ONLINE where the edition allows
--     (Enterprise/Developer, Azure SQL Database, Managed Instance: EngineEdition 3, 5, 8); elsewhere offline with a
--     message (an offline build blocks writes to the table for its duration). A step that fails leaves the steps
--     before it in place; rerunning migrate resumes (the pre-flight check recognises 001's own columns).
--     https://learn.microsoft.com/sql/relational-databases/indexes/perform-index-operations-online
--   * No filtered index on a CRM table: a filtered index makes every INSERT/UPDATE/DELETE on the table require
--     QUOTED_IDENTIFIER, ANSI_NULLS … ON, and the CRM's own modules compiled with them OFF would start failing.
--     https://learn.microsoft.com/sql/relational-databases/indexes/create-filtered-indexes
-- Rollback: 001_add_lead_scoring_columns.rollback.sql. Verification: verify/001_verify.sql (returns 9 and 1).
SET XACT_ABORT ON;
SET LOCK_TIMEOUT 5000;
BEGIN TRANSACTION;

-- Step 1: columns and constraints. The CHECKs go through sp_executesql: the columns must exist when the statement
-- compiles, and WITH NOCHECK ADD CONSTRAINT is beyond the T-SQL grammar the tests parse with.
IF COL_LENGTH(N'$(LeadTable)', N'HealthScore') IS NULL
    ALTER TABLE $(LeadTable) ADD HealthScore TINYINT NULL;
IF COL_LENGTH(N'$(LeadTable)', N'VelocityScore') IS NULL
    ALTER TABLE $(LeadTable) ADD VelocityScore TINYINT NULL;
IF COL_LENGTH(N'$(LeadTable)', N'AIPriority') IS NULL
    ALTER TABLE $(LeadTable) ADD AIPriority TINYINT NULL;
IF COL_LENGTH(N'$(LeadTable)', N'ConversionProbability') IS NULL
    ALTER TABLE $(LeadTable) ADD ConversionProbability DECIMAL(5, 2) NULL;
IF COL_LENGTH(N'$(LeadTable)', N'ChurnRisk') IS NULL
    ALTER TABLE $(LeadTable) ADD ChurnRisk VARCHAR(10) NULL;
IF COL_LENGTH(N'$(LeadTable)', N'FollowUpStatus') IS NULL
    ALTER TABLE $(LeadTable) ADD FollowUpStatus VARCHAR(10) NULL;
IF COL_LENGTH(N'$(LeadTable)', N'OverdueDays') IS NULL
    ALTER TABLE $(LeadTable) ADD OverdueDays INT NULL;
IF COL_LENGTH(N'$(LeadTable)', N'RecommendationJson') IS NULL
    ALTER TABLE $(LeadTable) ADD RecommendationJson NVARCHAR(MAX) NULL;
IF COL_LENGTH(N'$(LeadTable)', N'ScoresLastUpdated') IS NULL
    ALTER TABLE $(LeadTable) ADD ScoresLastUpdated DATETIME2(3) NULL;

IF OBJECT_ID(N'$(LeadSchema).[CK_lead_HealthScore]', N'C') IS NULL
    EXEC sp_executesql N'ALTER TABLE $(LeadTable) WITH NOCHECK ADD CONSTRAINT CK_lead_HealthScore CHECK (HealthScore BETWEEN 0 AND 100);';
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_VelocityScore]', N'C') IS NULL
    EXEC sp_executesql N'ALTER TABLE $(LeadTable) WITH NOCHECK ADD CONSTRAINT CK_lead_VelocityScore CHECK (VelocityScore BETWEEN 0 AND 100);';
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_AIPriority]', N'C') IS NULL
    EXEC sp_executesql N'ALTER TABLE $(LeadTable) WITH NOCHECK ADD CONSTRAINT CK_lead_AIPriority CHECK (AIPriority BETWEEN 0 AND 100);';
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_ConversionProbability]', N'C') IS NULL
    EXEC sp_executesql N'ALTER TABLE $(LeadTable) WITH NOCHECK ADD CONSTRAINT CK_lead_ConversionProbability CHECK (ConversionProbability BETWEEN 0 AND 100);';
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_ChurnRisk]', N'C') IS NULL
    EXEC sp_executesql N'ALTER TABLE $(LeadTable) WITH NOCHECK ADD CONSTRAINT CK_lead_ChurnRisk CHECK (ChurnRisk IN (''low'', ''medium'', ''high'', ''critical''));';
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_FollowUpStatus]', N'C') IS NULL
    EXEC sp_executesql N'ALTER TABLE $(LeadTable) WITH NOCHECK ADD CONSTRAINT CK_lead_FollowUpStatus CHECK (FollowUpStatus IN (''none'', ''overdue'', ''today'', ''this_week'', ''scheduled''));';
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_OverdueDays]', N'C') IS NULL
    EXEC sp_executesql N'ALTER TABLE $(LeadTable) WITH NOCHECK ADD CONSTRAINT CK_lead_OverdueDays CHECK (OverdueDays >= 0);';
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_RecommendationJson]', N'C') IS NULL
    EXEC sp_executesql N'ALTER TABLE $(LeadTable) WITH NOCHECK ADD CONSTRAINT CK_lead_RecommendationJson CHECK (ISJSON(RecommendationJson) = 1);';

COMMIT TRANSACTION;
GO

-- Step 2: the product's own snapshot table (nobody else reads it: no lock concern).
SET XACT_ABORT ON;
BEGIN TRANSACTION;
IF OBJECT_ID(N'dbo.lead_velocity_snapshots', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.lead_velocity_snapshots (
        LeadId               INT          NOT NULL,
        SnapshotDate         DATE         NOT NULL,
        HealthScore          TINYINT      NOT NULL CONSTRAINT CK_snap_HealthScore CHECK (HealthScore BETWEEN 0 AND 100),
        VelocityScore        TINYINT      NOT NULL CONSTRAINT CK_snap_VelocityScore CHECK (VelocityScore BETWEEN 0 AND 100),
        Activity7d           INT          NOT NULL CONSTRAINT CK_snap_Activity7d CHECK (Activity7d >= 0),
        Activity30d          INT          NOT NULL CONSTRAINT CK_snap_Activity30d CHECK (Activity30d >= 0),
        CompletedFollowUps7d INT          NOT NULL,
        Visits7d             INT          NOT NULL,
        UpdatedAt            DATETIME2(3) NOT NULL CONSTRAINT DF_snap_UpdatedAt DEFAULT SYSUTCDATETIME(),
        -- one row per lead per UTC day; also serves "latest snapshot before today" in the scoring input view
        CONSTRAINT PK_lead_velocity_snapshots PRIMARY KEY CLUSTERED (LeadId, SnapshotDate)
    );
END;
-- 7. Snapshot retention: the purge deletes by SnapshotDate across all leads.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_velocity_snapshots_SnapshotDate' AND object_id = OBJECT_ID(N'dbo.lead_velocity_snapshots'))
    CREATE NONCLUSTERED INDEX IX_lead_velocity_snapshots_SnapshotDate ON dbo.lead_velocity_snapshots (SnapshotDate);
COMMIT TRANSACTION;
GO

-- Step 3: indexes on the CRM's tables, one batch each, no transaction (each build is atomic on its own). The CREATE
-- INDEX goes through sp_executesql so that its WITH clause is chosen at run time: an ONLINE option the edition does
-- not support would otherwise fail the whole batch when it compiles (error 1712), before any IF could route around
-- it. Azure SQL Database and Managed Instance (EngineEdition 5, 8) and SQL Server 2022+ Enterprise/Developer build
-- online and wait for their brief locks at low priority (WAIT_AT_LOW_PRIORITY, ABORT_AFTER_WAIT = SELF: the build
-- gives up after a minute rather than queue CRM sessions behind it); older Enterprise/Developer build online;
-- Standard, Web and Express build offline, with a message.
-- https://learn.microsoft.com/sql/t-sql/statements/create-index-transact-sql (ONLINE, WAIT_AT_LOW_PRIORITY)

-- 1. Leads API default sort (GET /api/leads, sort=priority) and the guide's "TOP 5 … ORDER BY AIPriority DESC":
--    read in AIPriority order and stop at TOP; HealthScore and the status (the active-status join) from the leaf.
SET LOCK_TIMEOUT 5000;
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_AIPriority' AND object_id = OBJECT_ID(N'$(LeadTable)'))
BEGIN
    DECLARE @edition INT = CAST(SERVERPROPERTY('EngineEdition') AS INT);
    DECLARE @online NVARCHAR(200) = CASE
        WHEN @edition IN (5, 8) OR (@edition = 3 AND CAST(SERVERPROPERTY('ProductMajorVersion') AS INT) >= 16)
            THEN N' WITH (ONLINE = ON (WAIT_AT_LOW_PRIORITY (MAX_DURATION = 1 MINUTES, ABORT_AFTER_WAIT = SELF)))'
        WHEN @edition = 3 THEN N' WITH (ONLINE = ON)'
        ELSE N'' END;
    IF @online = N''
        PRINT N'IX_lead_AIPriority: this edition cannot build indexes online; building it offline (writes to $(LeadTable) wait until it is done)';
    -- waiting at low priority queues nobody: let that wait run its minute rather than the batch's 5 s lock timeout
    DECLARE @sql NVARCHAR(MAX) = CASE WHEN @online LIKE N'%LOW_PRIORITY%' THEN N'SET LOCK_TIMEOUT 120000; ' ELSE N'' END
        + N'CREATE NONCLUSTERED INDEX IX_lead_AIPriority ON $(LeadTable) (AIPriority DESC, $(LeadKey)) INCLUDE (HealthScore, ChurnRisk, FollowUpStatus, ConversionProbability, OverdueDays, $(LeadStatusColumn))' + @online + N';';
    EXEC sp_executesql @sql;
END;
GO

-- 2. Leads API sort=health (lowest first, triage).
SET LOCK_TIMEOUT 5000;
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_HealthScore' AND object_id = OBJECT_ID(N'$(LeadTable)'))
BEGIN
    DECLARE @edition INT = CAST(SERVERPROPERTY('EngineEdition') AS INT);
    DECLARE @online NVARCHAR(200) = CASE
        WHEN @edition IN (5, 8) OR (@edition = 3 AND CAST(SERVERPROPERTY('ProductMajorVersion') AS INT) >= 16)
            THEN N' WITH (ONLINE = ON (WAIT_AT_LOW_PRIORITY (MAX_DURATION = 1 MINUTES, ABORT_AFTER_WAIT = SELF)))'
        WHEN @edition = 3 THEN N' WITH (ONLINE = ON)'
        ELSE N'' END;
    IF @online = N''
        PRINT N'IX_lead_HealthScore: this edition cannot build indexes online; building it offline (writes to $(LeadTable) wait until it is done)';
    -- waiting at low priority queues nobody: let that wait run its minute rather than the batch's 5 s lock timeout
    DECLARE @sql NVARCHAR(MAX) = CASE WHEN @online LIKE N'%LOW_PRIORITY%' THEN N'SET LOCK_TIMEOUT 120000; ' ELSE N'' END
        + N'CREATE NONCLUSTERED INDEX IX_lead_HealthScore ON $(LeadTable) (HealthScore, $(LeadKey)) INCLUDE (AIPriority, ChurnRisk, FollowUpStatus, ConversionProbability, OverdueDays, $(LeadStatusColumn))' + @online + N';';
    EXEC sp_executesql @sql;
END;
GO

-- 3. Leads API filters churnRisk / followUpStatus and their aggregates (counts per tier and status).
SET LOCK_TIMEOUT 5000;
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_ChurnRisk_FollowUpStatus' AND object_id = OBJECT_ID(N'$(LeadTable)'))
BEGIN
    DECLARE @edition INT = CAST(SERVERPROPERTY('EngineEdition') AS INT);
    DECLARE @online NVARCHAR(200) = CASE
        WHEN @edition IN (5, 8) OR (@edition = 3 AND CAST(SERVERPROPERTY('ProductMajorVersion') AS INT) >= 16)
            THEN N' WITH (ONLINE = ON (WAIT_AT_LOW_PRIORITY (MAX_DURATION = 1 MINUTES, ABORT_AFTER_WAIT = SELF)))'
        WHEN @edition = 3 THEN N' WITH (ONLINE = ON)'
        ELSE N'' END;
    IF @online = N''
        PRINT N'IX_lead_ChurnRisk_FollowUpStatus: this edition cannot build indexes online; building it offline (writes to $(LeadTable) wait until it is done)';
    -- waiting at low priority queues nobody: let that wait run its minute rather than the batch's 5 s lock timeout
    DECLARE @sql NVARCHAR(MAX) = CASE WHEN @online LIKE N'%LOW_PRIORITY%' THEN N'SET LOCK_TIMEOUT 120000; ' ELSE N'' END
        + N'CREATE NONCLUSTERED INDEX IX_lead_ChurnRisk_FollowUpStatus ON $(LeadTable) (ChurnRisk, FollowUpStatus) INCLUDE (AIPriority, HealthScore, ConversionProbability, OverdueDays, $(LeadStatusColumn))' + @online + N';';
    EXEC sp_executesql @sql;
END;
GO

-- 4. Leads API sort=overdue (most days overdue first).
SET LOCK_TIMEOUT 5000;
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_OverdueDays' AND object_id = OBJECT_ID(N'$(LeadTable)'))
BEGIN
    DECLARE @edition INT = CAST(SERVERPROPERTY('EngineEdition') AS INT);
    DECLARE @online NVARCHAR(200) = CASE
        WHEN @edition IN (5, 8) OR (@edition = 3 AND CAST(SERVERPROPERTY('ProductMajorVersion') AS INT) >= 16)
            THEN N' WITH (ONLINE = ON (WAIT_AT_LOW_PRIORITY (MAX_DURATION = 1 MINUTES, ABORT_AFTER_WAIT = SELF)))'
        WHEN @edition = 3 THEN N' WITH (ONLINE = ON)'
        ELSE N'' END;
    IF @online = N''
        PRINT N'IX_lead_OverdueDays: this edition cannot build indexes online; building it offline (writes to $(LeadTable) wait until it is done)';
    -- waiting at low priority queues nobody: let that wait run its minute rather than the batch's 5 s lock timeout
    DECLARE @sql NVARCHAR(MAX) = CASE WHEN @online LIKE N'%LOW_PRIORITY%' THEN N'SET LOCK_TIMEOUT 120000; ' ELSE N'' END
        + N'CREATE NONCLUSTERED INDEX IX_lead_OverdueDays ON $(LeadTable) (OverdueDays DESC, $(LeadKey)) INCLUDE (AIPriority, HealthScore, ChurnRisk, FollowUpStatus, ConversionProbability, $(LeadStatusColumn))' + @online + N';';
    EXEC sp_executesql @sql;
END;
GO

-- li:if followUps
-- 5. Scoring and training reads: the follow-ups of one lead (per-lead seek of li_lead_features_at).
SET LOCK_TIMEOUT 5000;
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_FollowUps_LeadId' AND object_id = OBJECT_ID(N'$(FollowUpTable)'))
BEGIN
    DECLARE @edition INT = CAST(SERVERPROPERTY('EngineEdition') AS INT);
    DECLARE @online NVARCHAR(200) = CASE
        WHEN @edition IN (5, 8) OR (@edition = 3 AND CAST(SERVERPROPERTY('ProductMajorVersion') AS INT) >= 16)
            THEN N' WITH (ONLINE = ON (WAIT_AT_LOW_PRIORITY (MAX_DURATION = 1 MINUTES, ABORT_AFTER_WAIT = SELF)))'
        WHEN @edition = 3 THEN N' WITH (ONLINE = ON)'
        ELSE N'' END;
    IF @online = N''
        PRINT N'IX_FollowUps_LeadId: this edition cannot build indexes online; building it offline (writes to $(FollowUpTable) wait until it is done)';
    -- waiting at low priority queues nobody: let that wait run its minute rather than the batch's 5 s lock timeout
    DECLARE @sql NVARCHAR(MAX) = CASE WHEN @online LIKE N'%LOW_PRIORITY%' THEN N'SET LOCK_TIMEOUT 120000; ' ELSE N'' END
        + N'CREATE NONCLUSTERED INDEX IX_FollowUps_LeadId ON $(FollowUpTable) ($(FollowUpLeadKey)) INCLUDE ($(FollowUpIncludes))' + @online + N';';
    EXEC sp_executesql @sql;
END;
GO
-- li:end

-- li:if visits
-- 6. Scoring and training reads: the visits of one lead, by date.
SET LOCK_TIMEOUT 5000;
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Visit_LeadId_VisitDate' AND object_id = OBJECT_ID(N'$(VisitTable)'))
BEGIN
    DECLARE @edition INT = CAST(SERVERPROPERTY('EngineEdition') AS INT);
    DECLARE @online NVARCHAR(200) = CASE
        WHEN @edition IN (5, 8) OR (@edition = 3 AND CAST(SERVERPROPERTY('ProductMajorVersion') AS INT) >= 16)
            THEN N' WITH (ONLINE = ON (WAIT_AT_LOW_PRIORITY (MAX_DURATION = 1 MINUTES, ABORT_AFTER_WAIT = SELF)))'
        WHEN @edition = 3 THEN N' WITH (ONLINE = ON)'
        ELSE N'' END;
    IF @online = N''
        PRINT N'IX_Visit_LeadId_VisitDate: this edition cannot build indexes online; building it offline (writes to $(VisitTable) wait until it is done)';
    -- waiting at low priority queues nobody: let that wait run its minute rather than the batch's 5 s lock timeout
    DECLARE @sql NVARCHAR(MAX) = CASE WHEN @online LIKE N'%LOW_PRIORITY%' THEN N'SET LOCK_TIMEOUT 120000; ' ELSE N'' END
        + N'CREATE NONCLUSTERED INDEX IX_Visit_LeadId_VisitDate ON $(VisitTable) ($(VisitLeadKey), $(VisitDateColumn))' + @online + N';';
    EXEC sp_executesql @sql;
END;
GO
-- li:end
