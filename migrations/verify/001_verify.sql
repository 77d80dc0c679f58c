-- verify/001_verify.sql — the Phase 1 guide's verification queries, on the mapped lead table. Expected: 9, then 1.
SELECT COUNT(*) AS ScoreColumns FROM INFORMATION_SCHEMA.COLUMNS
WHERE TABLE_SCHEMA = N'$(LeadSchemaName)' AND TABLE_NAME = N'$(LeadTableName)'
AND COLUMN_NAME IN (
    'HealthScore', 'VelocityScore', 'AIPriority',
    'ConversionProbability', 'ChurnRisk', 'FollowUpStatus',
    'OverdueDays', 'RecommendationJson', 'ScoresLastUpdated'
);

SELECT COUNT(*) AS SnapshotTables FROM INFORMATION_SCHEMA.TABLES
WHERE TABLE_SCHEMA = N'dbo' AND TABLE_NAME = N'lead_velocity_snapshots';
