-- SQLite twin of ../001_add_lead_scoring_columns.rollback.sql. Indexes first: SQLite cannot drop an indexed column.
DROP INDEX IF EXISTS IX_FollowUps_LeadId;
DROP INDEX IF EXISTS IX_Visit_LeadId_VisitDate;
DROP INDEX IF EXISTS IX_lead_AIPriority;
DROP INDEX IF EXISTS IX_lead_HealthScore;
DROP INDEX IF EXISTS IX_lead_ChurnRisk_FollowUpStatus;
DROP INDEX IF EXISTS IX_lead_OverdueDays;
DROP TABLE IF EXISTS lead_velocity_snapshots;
ALTER TABLE $(LeadTable) DROP COLUMN HealthScore;
ALTER TABLE $(LeadTable) DROP COLUMN VelocityScore;
ALTER TABLE $(LeadTable) DROP COLUMN AIPriority;
ALTER TABLE $(LeadTable) DROP COLUMN ConversionProbability;
ALTER TABLE $(LeadTable) DROP COLUMN ChurnRisk;
ALTER TABLE $(LeadTable) DROP COLUMN FollowUpStatus;
ALTER TABLE $(LeadTable) DROP COLUMN OverdueDays;
ALTER TABLE $(LeadTable) DROP COLUMN RecommendationJson;
ALTER TABLE $(LeadTable) DROP COLUMN ScoresLastUpdated;
