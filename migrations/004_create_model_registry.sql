-- li:rerun-on-change (every statement is guarded or replaces what it creates; applied again when the mapping changes it)
-- 004_create_model_registry.sql
-- The learned conversion model: dbo.lead_scoring_models keeps every trained model (published or not) with its
-- training window, feature list, coefficients and metrics; dbo.v_lead_training_input is the TRAINING CONTRACT: one
-- row per closed lead with the scoring input's columns computed AS OF ITS CLOSE DATE (nothing recorded after the
-- close is used: later contacts, follow-ups completed after it, the status change that closed it). The outcome is the
-- status map's category (won / lost), so a CRM's "Closed Won" trains the model once the mapping says so. The
-- mapping's extra lead columns appear here as in dbo.v_lead_scoring_input, under the same names.
SET XACT_ABORT ON;
BEGIN TRANSACTION;

IF OBJECT_ID(N'dbo.lead_scoring_models', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.lead_scoring_models (
        ModelId     INT IDENTITY(1, 1) NOT NULL CONSTRAINT PK_lead_scoring_models PRIMARY KEY CLUSTERED,
        Version     NVARCHAR(40)   NOT NULL,
        TrainedAt   DATETIME2(3)   NOT NULL,
        WindowFrom  DATETIME2(3)   NULL,
        WindowTo    DATETIME2(3)   NULL,
        Published   BIT            NOT NULL CONSTRAINT DF_models_Published DEFAULT 0,
        Won         INT            NOT NULL,
        Lost        INT            NOT NULL,
        HoldoutAuc  FLOAT          NULL,
        FeatureList NVARCHAR(MAX)  NULL,
        ModelJson   NVARCHAR(MAX)  NULL,
        Note        NVARCHAR(1000) NULL
    );
    CREATE NONCLUSTERED INDEX IX_lead_scoring_models_TrainedAt ON dbo.lead_scoring_models (TrainedAt DESC) INCLUDE (Published);
END;
GO

IF OBJECT_ID(N'dbo.v_lead_training_input', N'V') IS NOT NULL
    DROP VIEW dbo.v_lead_training_input;
GO

CREATE VIEW dbo.v_lead_training_input
AS
SELECT
    l.LeadId,
    l.LeadSource,
    CAST(l.EstimatedValue AS FLOAT) AS EstimatedValue,
    l.CreatedDate,
    CASE WHEN l.LastContactDate <= l.ClosedDate THEN l.LastContactDate END AS LastContactDate,
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
    ISNULL(vi.Visits30d, 0) AS Visits30d$(LeadExtras),
    sm.Category AS Outcome,
    l.ClosedDate
FROM dbo.li_leads AS l
INNER JOIN dbo.lead_status_map AS sm ON sm.StatusKey = l.StatusKey
OUTER APPLY (
    -- a follow-up completed after the close was still pending at the close
    SELECT
        MIN(CASE WHEN f.State = 'pending' OR (f.State = 'completed' AND f.CompletedDate > l.ClosedDate) THEN f.DueDate END) AS NextFollowUpDueDate,
        SUM(CASE WHEN f.State = 'pending' OR (f.State = 'completed' AND f.CompletedDate > l.ClosedDate) THEN 1 ELSE 0 END) AS PendingFollowUps,
        SUM(CASE WHEN (f.State = 'pending' OR (f.State = 'completed' AND f.CompletedDate > l.ClosedDate))
                  AND f.DueDate < CAST(CAST(l.ClosedDate AS DATE) AS DATETIME2(3)) THEN 1 ELSE 0 END) AS OverdueFollowUps,
        SUM(CASE WHEN f.State = 'completed' AND f.CompletedDate <= l.ClosedDate THEN 1 ELSE 0 END) AS CompletedFollowUps,
        SUM(CASE WHEN f.State = 'completed' AND f.CompletedDate <= l.ClosedDate AND f.CompletedDate > DATEADD(DAY, -7, l.ClosedDate) THEN 1 ELSE 0 END) AS CompletedFollowUps7d,
        SUM(CASE WHEN f.State = 'completed' AND f.CompletedDate <= l.ClosedDate AND f.CompletedDate > DATEADD(DAY, -30, l.ClosedDate) THEN 1 ELSE 0 END) AS CompletedFollowUps30d,
        MAX(CASE WHEN f.State = 'completed' AND f.CompletedDate <= l.ClosedDate THEN f.CompletedDate END) AS LastFollowUpCompletedDate
    FROM dbo.li_follow_ups AS f
    WHERE f.LeadId = l.LeadId AND (f.CreatedDate IS NULL OR f.CreatedDate <= l.ClosedDate)
) AS fu
OUTER APPLY (
    SELECT
        COUNT(*) AS Visits,
        SUM(CASE WHEN v.VisitDate > DATEADD(DAY, -7, l.ClosedDate) THEN 1 ELSE 0 END) AS Visits7d,
        SUM(CASE WHEN v.VisitDate > DATEADD(DAY, -30, l.ClosedDate) THEN 1 ELSE 0 END) AS Visits30d,
        MAX(v.VisitDate) AS LastVisitDate
    FROM dbo.li_visits AS v
    WHERE v.LeadId = l.LeadId AND v.VisitDate <= l.ClosedDate
) AS vi
-- Closed leads with an outcome: won or lost in the status map, and a close date to take features as of.
WHERE sm.Category IN ('won', 'lost') AND l.ClosedDate IS NOT NULL;
GO

COMMIT TRANSACTION;
