-- 001_add_lead_scoring_columns.rollback.sql
-- Undoes 001: drops its seven indexes, the snapshot table, the CHECK constraints and the nine score columns. Leaves
-- every other CRM column and row as it was. Guarded (rerunnable). Dropping a column takes a Sch-M lock on the lead
-- table for the statement; it changes metadata only and does not reclaim the columns' space (a rebuild of the table
-- or DBCC CLEANTABLE does: https://learn.microsoft.com/sql/t-sql/statements/alter-table-transact-sql), hence the
-- short lock timeout. `lead-intel migrate
-- --rollback 001` runs it only when 001 is the newest applied migration.
SET XACT_ABORT ON;
SET LOCK_TIMEOUT 5000;
BEGIN TRANSACTION;

-- li:if followUps
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_FollowUps_LeadId' AND object_id = OBJECT_ID(N'$(FollowUpTable)'))
    DROP INDEX IX_FollowUps_LeadId ON $(FollowUpTable);
-- li:end
-- li:if visits
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Visit_LeadId_VisitDate' AND object_id = OBJECT_ID(N'$(VisitTable)'))
    DROP INDEX IX_Visit_LeadId_VisitDate ON $(VisitTable);
-- li:end
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_AIPriority' AND object_id = OBJECT_ID(N'$(LeadTable)'))
    DROP INDEX IX_lead_AIPriority ON $(LeadTable);
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_HealthScore' AND object_id = OBJECT_ID(N'$(LeadTable)'))
    DROP INDEX IX_lead_HealthScore ON $(LeadTable);
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_ChurnRisk_FollowUpStatus' AND object_id = OBJECT_ID(N'$(LeadTable)'))
    DROP INDEX IX_lead_ChurnRisk_FollowUpStatus ON $(LeadTable);
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_lead_OverdueDays' AND object_id = OBJECT_ID(N'$(LeadTable)'))
    DROP INDEX IX_lead_OverdueDays ON $(LeadTable);

IF OBJECT_ID(N'dbo.lead_velocity_snapshots', N'U') IS NOT NULL
    DROP TABLE dbo.lead_velocity_snapshots;

IF OBJECT_ID(N'$(LeadSchema).[CK_lead_HealthScore]', N'C') IS NOT NULL ALTER TABLE $(LeadTable) DROP CONSTRAINT CK_lead_HealthScore;
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_VelocityScore]', N'C') IS NOT NULL ALTER TABLE $(LeadTable) DROP CONSTRAINT CK_lead_VelocityScore;
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_AIPriority]', N'C') IS NOT NULL ALTER TABLE $(LeadTable) DROP CONSTRAINT CK_lead_AIPriority;
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_ConversionProbability]', N'C') IS NOT NULL ALTER TABLE $(LeadTable) DROP CONSTRAINT CK_lead_ConversionProbability;
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_ChurnRisk]', N'C') IS NOT NULL ALTER TABLE $(LeadTable) DROP CONSTRAINT CK_lead_ChurnRisk;
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_FollowUpStatus]', N'C') IS NOT NULL ALTER TABLE $(LeadTable) DROP CONSTRAINT CK_lead_FollowUpStatus;
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_OverdueDays]', N'C') IS NOT NULL ALTER TABLE $(LeadTable) DROP CONSTRAINT CK_lead_OverdueDays;
IF OBJECT_ID(N'$(LeadSchema).[CK_lead_RecommendationJson]', N'C') IS NOT NULL ALTER TABLE $(LeadTable) DROP CONSTRAINT CK_lead_RecommendationJson;

IF COL_LENGTH(N'$(LeadTable)', N'HealthScore') IS NOT NULL ALTER TABLE $(LeadTable) DROP COLUMN HealthScore;
IF COL_LENGTH(N'$(LeadTable)', N'VelocityScore') IS NOT NULL ALTER TABLE $(LeadTable) DROP COLUMN VelocityScore;
IF COL_LENGTH(N'$(LeadTable)', N'AIPriority') IS NOT NULL ALTER TABLE $(LeadTable) DROP COLUMN AIPriority;
IF COL_LENGTH(N'$(LeadTable)', N'ConversionProbability') IS NOT NULL ALTER TABLE $(LeadTable) DROP COLUMN ConversionProbability;
IF COL_LENGTH(N'$(LeadTable)', N'ChurnRisk') IS NOT NULL ALTER TABLE $(LeadTable) DROP COLUMN ChurnRisk;
IF COL_LENGTH(N'$(LeadTable)', N'FollowUpStatus') IS NOT NULL ALTER TABLE $(LeadTable) DROP COLUMN FollowUpStatus;
IF COL_LENGTH(N'$(LeadTable)', N'OverdueDays') IS NOT NULL ALTER TABLE $(LeadTable) DROP COLUMN OverdueDays;
IF COL_LENGTH(N'$(LeadTable)', N'RecommendationJson') IS NOT NULL ALTER TABLE $(LeadTable) DROP COLUMN RecommendationJson;
IF COL_LENGTH(N'$(LeadTable)', N'ScoresLastUpdated') IS NOT NULL ALTER TABLE $(LeadTable) DROP COLUMN ScoresLastUpdated;

COMMIT TRANSACTION;
