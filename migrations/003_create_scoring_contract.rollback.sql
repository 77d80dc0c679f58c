-- 003_create_scoring_contract.rollback.sql
-- Undoes 003: drops the scoring input view, the run history and the three table types (the types last: nothing
-- else may reference them when they go).
SET XACT_ABORT ON;
BEGIN TRANSACTION;

IF OBJECT_ID(N'dbo.v_lead_scoring_input', N'V') IS NOT NULL DROP VIEW dbo.v_lead_scoring_input;
IF OBJECT_ID(N'dbo.lead_scoring_runs', N'U') IS NOT NULL DROP TABLE dbo.lead_scoring_runs;
IF TYPE_ID(N'dbo.LeadSnapshotRow') IS NOT NULL DROP TYPE dbo.LeadSnapshotRow;
IF TYPE_ID(N'dbo.LeadScoreRow') IS NOT NULL DROP TYPE dbo.LeadScoreRow;
IF TYPE_ID(N'dbo.LeadIdList') IS NOT NULL DROP TYPE dbo.LeadIdList;

COMMIT TRANSACTION;
