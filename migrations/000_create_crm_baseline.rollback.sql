-- 000_create_crm_baseline.rollback.sql
-- Undoes 000 on a DEVELOPMENT database: drops the guide's three CRM tables, but only while they hold no rows (a
-- table with data is somebody's CRM: it stops with an error and changes nothing). Needs --with-baseline.
SET XACT_ABORT ON;
BEGIN TRANSACTION;

IF EXISTS (SELECT 1 FROM dbo.lead) OR EXISTS (SELECT 1 FROM dbo.FollowUps) OR EXISTS (SELECT 1 FROM dbo.Visit)
    THROW 50000, N'000 rollback refused: dbo.lead, dbo.FollowUps or dbo.Visit holds rows (drop them yourself if they really are disposable)', 1;

IF OBJECT_ID(N'dbo.Visit', N'U') IS NOT NULL DROP TABLE dbo.Visit;
IF OBJECT_ID(N'dbo.FollowUps', N'U') IS NOT NULL DROP TABLE dbo.FollowUps;
IF OBJECT_ID(N'dbo.lead', N'U') IS NOT NULL DROP TABLE dbo.lead;

COMMIT TRANSACTION;
