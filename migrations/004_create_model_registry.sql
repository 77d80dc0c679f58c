-- li:rerun-on-change (every statement is guarded or replaces what it creates; applied again when the mapping changes it)
-- 004_create_model_registry.sql
-- The learned conversion model: dbo.lead_scoring_models keeps every trained model (published or not) with its
-- training window, feature list, coefficients and metrics; dbo.v_lead_training_input is the TRAINING CONTRACT: one
-- row per closed lead with the scoring input's columns computed AS OF ITS CLOSE DATE (nothing recorded after the
-- close is used: later contacts, follow-ups completed after it, the status change that closed it). The outcome is the
-- status map's category (won / lost), so a CRM's "Closed Won" trains the model once the mapping says so. The
-- mapping's extra lead columns appear here as in dbo.li_scoring_input, under the same names.
SET XACT_ABORT ON;
-- a Sch-M request on a view or table queued behind a running read would block every later reader: give up after 5 s
SET LOCK_TIMEOUT 5000;
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
    f.Visits30d$(LeadExtras),
    sm.Category AS Outcome,
    l.ClosedDate
FROM dbo.li_leads AS l
INNER JOIN dbo.lead_status_map AS sm ON sm.StatusKey = l.StatusKey
-- the features as of the close: the same definition the scoring input uses as of the run
CROSS APPLY dbo.li_lead_features_at(l.LeadId, l.ClosedDate) AS f
-- Closed leads with an outcome: won or lost in the status map, and a close date to take features as of.
WHERE sm.Category IN ('won', 'lost') AND l.ClosedDate IS NOT NULL;
GO

COMMIT TRANSACTION;
