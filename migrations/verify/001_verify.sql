-- verify/001_verify.sql — the Phase 1 guide's verification queries. Expected: 9, then 1.
SELECT COUNT(*) AS ScoreColumns FROM INFORMATION_SCHEMA.COLUMNS
WHERE TABLE_NAME = 'lead'
AND COLUMN_NAME IN (
    'HealthScore', 'VelocityScore', 'AIPriority',
    'ConversionProbability', 'ChurnRisk', 'FollowUpStatus',
    'OverdueDays', 'RecommendationJson', 'ScoresLastUpdated'
);

SELECT COUNT(*) AS SnapshotTables FROM INFORMATION_SCHEMA.TABLES
WHERE TABLE_NAME = 'lead_velocity_snapshots';
