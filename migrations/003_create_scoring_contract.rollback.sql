-- 003_create_scoring_contract.rollback.sql
-- Undoes 003: drops the feature and scoring input functions, the run history and the three table types (the types last: nothing
-- else may reference them when they go).
SET XACT_ABORT ON;
-- a Sch-M request on a view or table queued behind a running read would block every later reader: give up after 5 s
SET LOCK_TIMEOUT 5000;
BEGIN TRANSACTION;

IF OBJECT_ID(N'dbo.li_scoring_input', N'IF') IS NOT NULL DROP FUNCTION dbo.li_scoring_input;
IF OBJECT_ID(N'dbo.li_lead_features_at', N'IF') IS NOT NULL DROP FUNCTION dbo.li_lead_features_at;
IF OBJECT_ID(N'dbo.lead_scoring_runs', N'U') IS NOT NULL DROP TABLE dbo.lead_scoring_runs;
IF TYPE_ID(N'dbo.LeadSnapshotRow') IS NOT NULL DROP TYPE dbo.LeadSnapshotRow;
IF TYPE_ID(N'dbo.LeadScoreRow') IS NOT NULL DROP TYPE dbo.LeadScoreRow;
IF TYPE_ID(N'dbo.LeadIdList') IS NOT NULL DROP TYPE dbo.LeadIdList;

COMMIT TRANSACTION;
