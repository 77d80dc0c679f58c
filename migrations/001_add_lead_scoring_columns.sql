-- 001_add_lead_scoring_columns.sql
-- The nine score columns on dbo.lead (with range and enum CHECK constraints), seven indexes for the queries that
-- read and write them, and dbo.lead_velocity_snapshots. Idempotent: every step is guarded. Rollback:
-- 001_add_lead_scoring_columns.rollback.sql. Verification: verify/001_verify.sql (returns 9 and 1).
SET XACT_ABORT ON;
BEGIN TRANSACTION;

IF COL_LENGTH(N'dbo.lead', N'HealthScore') IS NULL
    ALTER TABLE dbo.lead ADD HealthScore TINYINT NULL
        CONSTRAINT CK_lead_HealthScore CHECK (HealthScore BETWEEN 0 AND 100);
IF COL_LENGTH(N'dbo.lead', N'VelocityScore') IS NULL
    ALTER TABLE dbo.lead ADD VelocityScore TINYINT NULL
        CONSTRAINT CK_lead_VelocityScore CHECK (VelocityScore BETWEEN 0 AND 100);
IF COL_LENGTH(N'dbo.lead', N'AIPriority') IS NULL
    ALTER TABLE dbo.lead ADD AIPriority TINYINT NULL
        CONSTRAINT CK_lead_AIPriority CHECK (AIPriority BETWEEN 0 AND 100);
IF COL_LENGTH(N'dbo.lead', N'ConversionProbability') IS NULL
    ALTER TABLE dbo.lead ADD ConversionProbability DECIMAL(5, 2) NULL
        CONSTRAINT CK_lead_ConversionProbability CHECK (ConversionProbability BETWEEN 0 AND 100);
IF COL_LENGTH(N'dbo.lead', N'ChurnRisk') IS NULL
    ALTER TABLE dbo.lead ADD ChurnRisk VARCHAR(10) NULL
        CONSTRAINT CK_lead_ChurnRisk CHECK (ChurnRisk IN ('low', 'medium', 'high', 'critical'));
IF COL_LENGTH(N'dbo.lead', N'FollowUpStatus') IS NULL
    ALTER TABLE dbo.lead ADD FollowUpStatus VARCHAR(10) NULL
        CONSTRAINT CK_lead_FollowUpStatus CHECK (FollowUpStatus IN ('none', 'overdue', 'today', 'this_week', 'scheduled'));
IF COL_LENGTH(N'dbo.lead', N'OverdueDays') IS NULL
    ALTER TABLE dbo.lead ADD OverdueDays INT NULL
        CONSTRAINT CK_lead_OverdueDays CHECK (OverdueDays >= 0);
IF COL_LENGTH(N'dbo.lead', N'RecommendationJson') IS NULL
    ALTER TABLE dbo.lead ADD RecommendationJson NVARCHAR(MAX) NULL
        CONSTRAINT CK_lead_RecommendationJson CHECK (ISJSON(RecommendationJson) = 1);
IF COL_LENGTH(N'dbo.lead', N'ScoresLastUpdated') IS NULL
    ALTER TABLE dbo.lead ADD ScoresLastUpdated DATETIME2(3) NULL;

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
GO

-- 1. Scoring read: the input view aggregates follow-ups per lead (pending due dates, completed counts).
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_FollowUps_LeadId_Status' AND object_id = OBJECT_ID(N'dbo.FollowUps'))
    CREATE NONCLUSTERED INDEX IX_FollowUps_LeadId_Status ON dbo.FollowUps (LeadId, Status) INCLUDE (DueDate, CompletedDate);
-- 2. Scoring read: visit counts and the latest visit per lead.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Visit_LeadId_VisitDate' AND object_id = OBJECT_ID(N'dbo.Visit'))
    CREATE NONCLUSTERED INDEX IX_Visit_LeadId_VisitDate ON dbo.Visit (LeadId, VisitDate);
-- 3. Scoring read: active leads by status (the view's WHERE on LeadStatus).
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_LeadStatus' AND object_id = OBJECT_ID(N'dbo.lead'))
    CREATE NONCLUSTERED INDEX IX_lead_LeadStatus ON dbo.lead (LeadStatus, LeadId);
-- 4. Leads API default sort and the guide's "TOP 5 … ORDER BY AIPriority DESC".
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_AIPriority' AND object_id = OBJECT_ID(N'dbo.lead'))
    CREATE NONCLUSTERED INDEX IX_lead_AIPriority ON dbo.lead (AIPriority DESC, LeadId)
        INCLUDE (HealthScore, ChurnRisk, FollowUpStatus, ConversionProbability, OverdueDays)
        WHERE AIPriority IS NOT NULL;
-- 5. Leads API filters and aggregates by churn tier and follow-up status.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_ChurnRisk_FollowUpStatus' AND object_id = OBJECT_ID(N'dbo.lead'))
    CREATE NONCLUSTERED INDEX IX_lead_ChurnRisk_FollowUpStatus ON dbo.lead (ChurnRisk, FollowUpStatus)
        INCLUDE (AIPriority, HealthScore, ConversionProbability, OverdueDays)
        WHERE ChurnRisk IS NOT NULL;
-- 6. Leads API updatedSince filter and the guide's MIN/MAX(ScoresLastUpdated) freshness check.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_ScoresLastUpdated' AND object_id = OBJECT_ID(N'dbo.lead'))
    CREATE NONCLUSTERED INDEX IX_lead_ScoresLastUpdated ON dbo.lead (ScoresLastUpdated)
        WHERE ScoresLastUpdated IS NOT NULL;
-- 7. Snapshot retention: the purge deletes by SnapshotDate across all leads.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_velocity_snapshots_SnapshotDate' AND object_id = OBJECT_ID(N'dbo.lead_velocity_snapshots'))
    CREATE NONCLUSTERED INDEX IX_lead_velocity_snapshots_SnapshotDate ON dbo.lead_velocity_snapshots (SnapshotDate);

COMMIT TRANSACTION;
