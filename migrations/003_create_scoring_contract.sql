-- li:rerun-on-change (every statement is guarded or replaces what it creates; applied again when the mapping changes it)
-- 003_create_scoring_contract.sql
-- What the scoring engine reads and writes besides the score columns:
--   * table types for the table-valued parameters (subset reads, the score MERGE, the snapshot MERGE);
--   * dbo.lead_scoring_runs, the run history read by the HTTP API and the dashboards;
--   * dbo.li_lead_features_at(@LeadId, @AsOf), the feature aggregation (one definition, also used by 004's training
--     view), and dbo.li_scoring_input(@AsOf), THE SCORING INPUT CONTRACT: one row per active lead as of an instant,
--     read from the mapping views of 002 (never from the CRM's tables by name). The mapping's extra lead columns
--     ("extras") are carried through to the job. See docs/azure-sql.md.
-- The column order of each CREATE TYPE is the order the adapter builds its sql.Table in (a test compares them).
SET XACT_ABORT ON;
-- a Sch-M request on a view or table queued behind a running read would block every later reader: give up after 5 s
SET LOCK_TIMEOUT 5000;
BEGIN TRANSACTION;

IF TYPE_ID(N'dbo.LeadIdList') IS NULL
    CREATE TYPE dbo.LeadIdList AS TABLE (
        LeadId INT NOT NULL PRIMARY KEY
    );

-- PRIMARY KEY on LeadId: a MERGE source must not match a target row twice.
IF TYPE_ID(N'dbo.LeadScoreRow') IS NULL
    CREATE TYPE dbo.LeadScoreRow AS TABLE (
        LeadId                INT            NOT NULL PRIMARY KEY,
        HealthScore           TINYINT        NOT NULL,
        VelocityScore         TINYINT        NOT NULL,
        AIPriority            TINYINT        NOT NULL,
        ConversionProbability DECIMAL(5, 2)  NOT NULL,
        ChurnRisk             VARCHAR(10)    NOT NULL,
        FollowUpStatus        VARCHAR(10)    NOT NULL,
        OverdueDays           INT            NOT NULL,
        RecommendationJson    NVARCHAR(MAX)  NOT NULL
    );

IF TYPE_ID(N'dbo.LeadSnapshotRow') IS NULL
    CREATE TYPE dbo.LeadSnapshotRow AS TABLE (
        LeadId               INT     NOT NULL PRIMARY KEY,
        HealthScore          TINYINT NOT NULL,
        VelocityScore        TINYINT NOT NULL,
        Activity7d           INT     NOT NULL,
        Activity30d          INT     NOT NULL,
        CompletedFollowUps7d INT     NOT NULL,
        Visits7d             INT     NOT NULL
    );

IF OBJECT_ID(N'dbo.lead_scoring_runs', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.lead_scoring_runs (
        RunId            INT IDENTITY(1, 1) NOT NULL CONSTRAINT PK_lead_scoring_runs PRIMARY KEY CLUSTERED,
        TriggerKind      VARCHAR(10)    NOT NULL CONSTRAINT CK_runs_TriggerKind CHECK (TriggerKind IN ('timer', 'http', 'cli')),
        StartedAt        DATETIME2(3)   NOT NULL,
        FinishedAt       DATETIME2(3)   NULL,
        Status           VARCHAR(10)    NOT NULL CONSTRAINT CK_runs_Status CHECK (Status IN ('running', 'succeeded', 'failed')),
        RequestedLeads   INT            NULL,
        LeadsRead        INT            NOT NULL CONSTRAINT DF_runs_LeadsRead DEFAULT 0,
        LeadsScored      INT            NOT NULL CONSTRAINT DF_runs_LeadsScored DEFAULT 0,
        LeadsSkipped     INT            NOT NULL CONSTRAINT DF_runs_LeadsSkipped DEFAULT 0,
        RowsChanged      INT            NOT NULL CONSTRAINT DF_runs_RowsChanged DEFAULT 0,
        SnapshotsWritten INT            NOT NULL CONSTRAINT DF_runs_SnapshotsWritten DEFAULT 0,
        DurationMs       INT            NULL,
        ErrorCode        VARCHAR(40)    NULL,
        ErrorMessage     NVARCHAR(2000) NULL,
        SummaryJson      NVARCHAR(MAX)  NULL
    );
    CREATE NONCLUSTERED INDEX IX_lead_scoring_runs_StartedAt ON dbo.lead_scoring_runs (StartedAt DESC);
END;
GO

IF OBJECT_ID(N'dbo.li_scoring_input', N'IF') IS NOT NULL
    DROP FUNCTION dbo.li_scoring_input;
IF OBJECT_ID(N'dbo.li_lead_features_at', N'IF') IS NOT NULL
    DROP FUNCTION dbo.li_lead_features_at;
GO

-- THE FEATURE AGGREGATION, one definition for scoring and training: a lead's follow-up and visit features as of an
-- instant, using only what was recorded by then (follow-ups created by then; a follow-up completed after it was
-- still pending; visits up to it; windows of 7 and 30 days ending at it; overdue = due before the instant's UTC day).
-- An inline table-valued function: the optimizer expands it into the calling query like a view
-- (https://learn.microsoft.com/sql/relational-databases/user-defined-functions/create-user-defined-functions-database-engine#inline-table-valued-functions).
CREATE FUNCTION dbo.li_lead_features_at (@LeadId INT, @AsOf DATETIME2(3))
RETURNS TABLE
AS
RETURN
SELECT
    fu.LastFollowUpCompletedDate,
    vi.LastVisitDate,
    fu.NextFollowUpDueDate,
    ISNULL(fu.PendingFollowUps, 0) AS PendingFollowUps,
    ISNULL(fu.OverdueFollowUps, 0) AS OverdueFollowUps,
    ISNULL(fu.CompletedFollowUps, 0) AS CompletedFollowUps,
    ISNULL(fu.CompletedFollowUps7d, 0) AS CompletedFollowUps7d,
    ISNULL(fu.CompletedFollowUps30d, 0) AS CompletedFollowUps30d,
    ISNULL(vi.Visits, 0) AS Visits,
    ISNULL(vi.Visits7d, 0) AS Visits7d,
    ISNULL(vi.Visits30d, 0) AS Visits30d
FROM (
    SELECT
        MIN(CASE WHEN f.State = 'pending' OR (f.State = 'completed' AND f.CompletedDate > @AsOf) THEN f.DueDate END) AS NextFollowUpDueDate,
        SUM(CASE WHEN f.State = 'pending' OR (f.State = 'completed' AND f.CompletedDate > @AsOf) THEN 1 ELSE 0 END) AS PendingFollowUps,
        SUM(CASE WHEN (f.State = 'pending' OR (f.State = 'completed' AND f.CompletedDate > @AsOf))
                  AND f.DueDate < CAST(CAST(@AsOf AS DATE) AS DATETIME2(3)) THEN 1 ELSE 0 END) AS OverdueFollowUps,
        SUM(CASE WHEN f.State = 'completed' AND f.CompletedDate <= @AsOf THEN 1 ELSE 0 END) AS CompletedFollowUps,
        SUM(CASE WHEN f.State = 'completed' AND f.CompletedDate <= @AsOf AND f.CompletedDate > DATEADD(DAY, -7, @AsOf) THEN 1 ELSE 0 END) AS CompletedFollowUps7d,
        SUM(CASE WHEN f.State = 'completed' AND f.CompletedDate <= @AsOf AND f.CompletedDate > DATEADD(DAY, -30, @AsOf) THEN 1 ELSE 0 END) AS CompletedFollowUps30d,
        MAX(CASE WHEN f.State = 'completed' AND f.CompletedDate <= @AsOf THEN f.CompletedDate END) AS LastFollowUpCompletedDate
    FROM dbo.li_follow_ups AS f
    WHERE f.LeadId = @LeadId AND (f.CreatedDate IS NULL OR f.CreatedDate <= @AsOf)
) AS fu
CROSS JOIN (
    SELECT
        COUNT(*) AS Visits,
        SUM(CASE WHEN v.VisitDate > DATEADD(DAY, -7, @AsOf) THEN 1 ELSE 0 END) AS Visits7d,
        SUM(CASE WHEN v.VisitDate > DATEADD(DAY, -30, @AsOf) THEN 1 ELSE 0 END) AS Visits30d,
        MAX(v.VisitDate) AS LastVisitDate
    FROM dbo.li_visits AS v
    WHERE v.LeadId = @LeadId AND v.VisitDate <= @AsOf
) AS vi;
GO

-- THE SCORING INPUT CONTRACT: one row per active lead as of the run's instant @AsOf (the job passes the end of the
-- run's UTC day, so every pass of a day sees the same windows), with every feature the scoring core needs.
CREATE FUNCTION dbo.li_scoring_input (@AsOf DATETIME2(3))
RETURNS TABLE
AS
RETURN
SELECT
    l.LeadId,
    COALESCE(sm.Stage, l.LeadStatus) AS LeadStatus,
    l.LeadSource,
    CAST(l.EstimatedValue AS FLOAT) AS EstimatedValue,
    l.CreatedDate,
    l.StatusChangedDate,
    CASE WHEN l.LastContactDate <= @AsOf THEN l.LastContactDate END AS LastContactDate,
    f.LastFollowUpCompletedDate,
    f.LastVisitDate,
    f.NextFollowUpDueDate,
    f.PendingFollowUps,
    f.OverdueFollowUps,
    f.CompletedFollowUps,
    f.CompletedFollowUps7d,
    f.CompletedFollowUps30d,
    f.Visits,
    f.Visits7d,
    f.Visits30d,
    snap.HealthScore AS PrevHealthScore,
    snap.Activity7d AS PrevActivity7d$(LeadExtras)
FROM dbo.li_leads AS l
LEFT JOIN dbo.lead_status_map AS sm ON sm.StatusKey = l.StatusKey
CROSS APPLY dbo.li_lead_features_at(l.LeadId, @AsOf) AS f
OUTER APPLY (
    SELECT TOP (1) s.HealthScore, s.Activity7d
    FROM dbo.lead_velocity_snapshots AS s
    WHERE s.LeadId = l.LeadId AND s.SnapshotDate < CAST(@AsOf AS DATE)
    ORDER BY s.SnapshotDate DESC
) AS snap
-- Active: the status map says so, or the status is not in it (scored with a neutral stage weight, and counted).
WHERE COALESCE(sm.Category, 'active') = 'active';
GO

COMMIT TRANSACTION;
