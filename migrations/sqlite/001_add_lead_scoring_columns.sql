-- SQLite twin of ../001_add_lead_scoring_columns.sql (a template with the same variables): the nine score columns
-- with the same CHECK constraints, the snapshot table and the seven indexes (SQLite has no INCLUDE: included columns
-- become trailing key columns).
ALTER TABLE $(LeadTable) ADD COLUMN HealthScore INTEGER NULL CHECK (HealthScore BETWEEN 0 AND 100);
ALTER TABLE $(LeadTable) ADD COLUMN VelocityScore INTEGER NULL CHECK (VelocityScore BETWEEN 0 AND 100);
ALTER TABLE $(LeadTable) ADD COLUMN AIPriority INTEGER NULL CHECK (AIPriority BETWEEN 0 AND 100);
ALTER TABLE $(LeadTable) ADD COLUMN ConversionProbability REAL NULL CHECK (ConversionProbability BETWEEN 0 AND 100);
ALTER TABLE $(LeadTable) ADD COLUMN ChurnRisk TEXT NULL CHECK (ChurnRisk IN ('low', 'medium', 'high', 'critical'));
ALTER TABLE $(LeadTable) ADD COLUMN FollowUpStatus TEXT NULL CHECK (FollowUpStatus IN ('none', 'overdue', 'today', 'this_week', 'scheduled'));
ALTER TABLE $(LeadTable) ADD COLUMN OverdueDays INTEGER NULL CHECK (OverdueDays >= 0);
ALTER TABLE $(LeadTable) ADD COLUMN RecommendationJson TEXT NULL CHECK (RecommendationJson IS NULL OR json_valid(RecommendationJson));
ALTER TABLE $(LeadTable) ADD COLUMN ScoresLastUpdated INTEGER NULL;

CREATE TABLE IF NOT EXISTS lead_velocity_snapshots (
    LeadId               INTEGER NOT NULL,
    SnapshotDate         TEXT    NOT NULL,
    HealthScore          INTEGER NOT NULL CHECK (HealthScore BETWEEN 0 AND 100),
    VelocityScore        INTEGER NOT NULL CHECK (VelocityScore BETWEEN 0 AND 100),
    Activity7d           INTEGER NOT NULL CHECK (Activity7d >= 0),
    Activity30d          INTEGER NOT NULL CHECK (Activity30d >= 0),
    CompletedFollowUps7d INTEGER NOT NULL,
    Visits7d             INTEGER NOT NULL,
    UpdatedAt            INTEGER NOT NULL,
    PRIMARY KEY (LeadId, SnapshotDate)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS IX_lead_velocity_snapshots_SnapshotDate ON lead_velocity_snapshots (SnapshotDate);

CREATE INDEX IF NOT EXISTS IX_lead_AIPriority ON $(LeadTable) (AIPriority DESC, $(LeadKey), HealthScore, ChurnRisk, FollowUpStatus, ConversionProbability, OverdueDays, $(LeadStatusColumn));
CREATE INDEX IF NOT EXISTS IX_lead_HealthScore ON $(LeadTable) (HealthScore, $(LeadKey), AIPriority, ChurnRisk, FollowUpStatus, ConversionProbability, OverdueDays, $(LeadStatusColumn));
CREATE INDEX IF NOT EXISTS IX_lead_ChurnRisk_FollowUpStatus ON $(LeadTable) (ChurnRisk, FollowUpStatus, AIPriority, HealthScore, ConversionProbability, OverdueDays, $(LeadStatusColumn));
CREATE INDEX IF NOT EXISTS IX_lead_OverdueDays ON $(LeadTable) (OverdueDays DESC, $(LeadKey), AIPriority, HealthScore, ChurnRisk, FollowUpStatus, ConversionProbability, $(LeadStatusColumn));
-- li:if followUps
CREATE INDEX IF NOT EXISTS IX_FollowUps_LeadId ON $(FollowUpTable) ($(FollowUpLeadKey), $(FollowUpIncludes));
-- li:end
-- li:if visits
CREATE INDEX IF NOT EXISTS IX_Visit_LeadId_VisitDate ON $(VisitTable) ($(VisitLeadKey), $(VisitDateColumn));
-- li:end
