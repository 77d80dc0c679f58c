-- 003_create_model_registry.sql
-- The learned conversion model: dbo.lead_scoring_models keeps every trained model (published or not) with its
-- training window, feature list, coefficients and metrics; dbo.v_lead_training_input is the TRAINING CONTRACT: one
-- row per closed lead with the scoring input's columns computed AS OF ITS CLOSE DATE (nothing recorded after the
-- close is used: later contacts, follow-ups completed after it, the status change that closed it). Extra columns a
-- team adds to dbo.v_lead_scoring_input must be added here too, under the same names.
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
    ISNULL(vi.Visits30d, 0) AS Visits30d,
    l.LeadStatus AS ClosedStatus,
    l.ClosedDate
FROM dbo.lead AS l
OUTER APPLY (
    SELECT
        MIN(CASE WHEN f.Status = N'Pending' OR (f.Status = N'Completed' AND f.CompletedDate > l.ClosedDate) THEN f.DueDate END) AS NextFollowUpDueDate,
        SUM(CASE WHEN f.Status = N'Pending' OR (f.Status = N'Completed' AND f.CompletedDate > l.ClosedDate) THEN 1 ELSE 0 END) AS PendingFollowUps,
        SUM(CASE WHEN (f.Status = N'Pending' OR (f.Status = N'Completed' AND f.CompletedDate > l.ClosedDate))
                  AND f.DueDate < CAST(CAST(l.ClosedDate AS DATE) AS DATETIME2(3)) THEN 1 ELSE 0 END) AS OverdueFollowUps,
        SUM(CASE WHEN f.Status = N'Completed' AND f.CompletedDate <= l.ClosedDate THEN 1 ELSE 0 END) AS CompletedFollowUps,
        SUM(CASE WHEN f.Status = N'Completed' AND f.CompletedDate <= l.ClosedDate AND f.CompletedDate > DATEADD(DAY, -7, l.ClosedDate) THEN 1 ELSE 0 END) AS CompletedFollowUps7d,
        SUM(CASE WHEN f.Status = N'Completed' AND f.CompletedDate <= l.ClosedDate AND f.CompletedDate > DATEADD(DAY, -30, l.ClosedDate) THEN 1 ELSE 0 END) AS CompletedFollowUps30d,
        MAX(CASE WHEN f.Status = N'Completed' AND f.CompletedDate <= l.ClosedDate THEN f.CompletedDate END) AS LastFollowUpCompletedDate
    FROM dbo.FollowUps AS f
    WHERE f.LeadId = l.LeadId AND f.CreatedDate <= l.ClosedDate
) AS fu
OUTER APPLY (
    SELECT
        COUNT(*) AS Visits,
        SUM(CASE WHEN v.VisitDate > DATEADD(DAY, -7, l.ClosedDate) THEN 1 ELSE 0 END) AS Visits7d,
        SUM(CASE WHEN v.VisitDate > DATEADD(DAY, -30, l.ClosedDate) THEN 1 ELSE 0 END) AS Visits30d,
        MAX(v.VisitDate) AS LastVisitDate
    FROM dbo.Visit AS v
    WHERE v.LeadId = l.LeadId AND v.VisitDate <= l.ClosedDate
) AS vi
WHERE l.LeadStatus IN (N'Won', N'Lost', N'Disqualified', N'Closed') AND l.ClosedDate IS NOT NULL;
GO

COMMIT TRANSACTION;
