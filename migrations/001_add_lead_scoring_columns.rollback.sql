-- 001_add_lead_scoring_columns.rollback.sql
-- Undoes 001: drops the seven indexes, the snapshot table, the CHECK constraints and the nine score columns.
-- Leaves every CRM column and row as it was. Idempotent.
SET XACT_ABORT ON;
BEGIN TRANSACTION;

IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_FollowUps_LeadId_Status' AND object_id = OBJECT_ID(N'dbo.FollowUps'))
    DROP INDEX IX_FollowUps_LeadId_Status ON dbo.FollowUps;
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Visit_LeadId_VisitDate' AND object_id = OBJECT_ID(N'dbo.Visit'))
    DROP INDEX IX_Visit_LeadId_VisitDate ON dbo.Visit;
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_LeadStatus' AND object_id = OBJECT_ID(N'dbo.lead'))
    DROP INDEX IX_lead_LeadStatus ON dbo.lead;
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_AIPriority' AND object_id = OBJECT_ID(N'dbo.lead'))
    DROP INDEX IX_lead_AIPriority ON dbo.lead;
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_ChurnRisk_FollowUpStatus' AND object_id = OBJECT_ID(N'dbo.lead'))
    DROP INDEX IX_lead_ChurnRisk_FollowUpStatus ON dbo.lead;
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_ScoresLastUpdated' AND object_id = OBJECT_ID(N'dbo.lead'))
    DROP INDEX IX_lead_ScoresLastUpdated ON dbo.lead;

IF OBJECT_ID(N'dbo.lead_velocity_snapshots', N'U') IS NOT NULL
    DROP TABLE dbo.lead_velocity_snapshots;

IF OBJECT_ID(N'dbo.CK_lead_HealthScore', N'C') IS NOT NULL ALTER TABLE dbo.lead DROP CONSTRAINT CK_lead_HealthScore;
IF OBJECT_ID(N'dbo.CK_lead_VelocityScore', N'C') IS NOT NULL ALTER TABLE dbo.lead DROP CONSTRAINT CK_lead_VelocityScore;
IF OBJECT_ID(N'dbo.CK_lead_AIPriority', N'C') IS NOT NULL ALTER TABLE dbo.lead DROP CONSTRAINT CK_lead_AIPriority;
IF OBJECT_ID(N'dbo.CK_lead_ConversionProbability', N'C') IS NOT NULL ALTER TABLE dbo.lead DROP CONSTRAINT CK_lead_ConversionProbability;
IF OBJECT_ID(N'dbo.CK_lead_ChurnRisk', N'C') IS NOT NULL ALTER TABLE dbo.lead DROP CONSTRAINT CK_lead_ChurnRisk;
IF OBJECT_ID(N'dbo.CK_lead_FollowUpStatus', N'C') IS NOT NULL ALTER TABLE dbo.lead DROP CONSTRAINT CK_lead_FollowUpStatus;
IF OBJECT_ID(N'dbo.CK_lead_OverdueDays', N'C') IS NOT NULL ALTER TABLE dbo.lead DROP CONSTRAINT CK_lead_OverdueDays;
IF OBJECT_ID(N'dbo.CK_lead_RecommendationJson', N'C') IS NOT NULL ALTER TABLE dbo.lead DROP CONSTRAINT CK_lead_RecommendationJson;

IF COL_LENGTH(N'dbo.lead', N'HealthScore') IS NOT NULL ALTER TABLE dbo.lead DROP COLUMN HealthScore;
IF COL_LENGTH(N'dbo.lead', N'VelocityScore') IS NOT NULL ALTER TABLE dbo.lead DROP COLUMN VelocityScore;
IF COL_LENGTH(N'dbo.lead', N'AIPriority') IS NOT NULL ALTER TABLE dbo.lead DROP COLUMN AIPriority;
IF COL_LENGTH(N'dbo.lead', N'ConversionProbability') IS NOT NULL ALTER TABLE dbo.lead DROP COLUMN ConversionProbability;
IF COL_LENGTH(N'dbo.lead', N'ChurnRisk') IS NOT NULL ALTER TABLE dbo.lead DROP COLUMN ChurnRisk;
IF COL_LENGTH(N'dbo.lead', N'FollowUpStatus') IS NOT NULL ALTER TABLE dbo.lead DROP COLUMN FollowUpStatus;
IF COL_LENGTH(N'dbo.lead', N'OverdueDays') IS NOT NULL ALTER TABLE dbo.lead DROP COLUMN OverdueDays;
IF COL_LENGTH(N'dbo.lead', N'RecommendationJson') IS NOT NULL ALTER TABLE dbo.lead DROP COLUMN RecommendationJson;
IF COL_LENGTH(N'dbo.lead', N'ScoresLastUpdated') IS NOT NULL ALTER TABLE dbo.lead DROP COLUMN ScoresLastUpdated;

DELETE FROM dbo.schema_migrations WHERE Version = N'001';

COMMIT TRANSACTION;
