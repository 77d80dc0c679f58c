-- grants/lead_intel_app.sql — every right the function app's identity has, through the role lead_intel_app
-- (created by 002; infra/sql/grant-function-identity.sql makes the identity a member). `lead-intel migrate` runs this
-- after the migrations, every time (GRANT is idempotent, and DROP VIEW in a rerun of 002 drops the view's
-- permissions: https://learn.microsoft.com/sql/t-sql/statements/drop-view-transact-sql). The app needs no right on
-- any CRM table: it reads and writes through dbo's views, and the views' owner (dbo) owns the tables too, so SQL
-- Server checks permissions on the views only (ownership chaining:
-- https://learn.microsoft.com/sql/relational-databases/security/authentication-access/ownership-and-user-schema-separation).
-- A test compares this file with every statement the Azure SQL adapter sends (test/store/mssql/leastPrivilege.test.ts).
-- One GRANT per line, no guards: the T-SQL grammar the tests use lacks UPDATE/DELETE permissions, column lists and
-- TYPE::, so the test checks these lines with a strict pattern of its own.

-- Scoring read (subset reruns join a LeadIdList TVP) and the model's training read.
GRANT SELECT ON dbo.li_scoring_input TO lead_intel_app;
GRANT SELECT ON dbo.v_lead_training_input TO lead_intel_app;
-- The leads API reads these columns of the mapped lead view (not Email or the dates; the owner only to filter by it) and the status map;
-- the score MERGE matches on LeadId and compares the nine columns (an UPDATE with a WHERE/ON needs SELECT on the
-- columns it reads: https://learn.microsoft.com/sql/t-sql/queries/update-transact-sql#permissions).
GRANT SELECT ON dbo.li_leads (LeadId, FirstName, LastName, Company, OwnerUserId, LeadStatus, LeadSource, EstimatedValue, StatusKey, HealthScore, VelocityScore, AIPriority, ConversionProbability, ChurnRisk, FollowUpStatus, OverdueDays, RecommendationJson, ScoresLastUpdated) TO lead_intel_app;
GRANT SELECT ON dbo.lead_status_map TO lead_intel_app;
-- The nine score columns, and nothing else of the CRM's lead rows (column-level UPDATE).
GRANT UPDATE ON dbo.li_leads (HealthScore, VelocityScore, AIPriority, ConversionProbability, ChurnRisk, FollowUpStatus, OverdueDays, RecommendationJson, ScoresLastUpdated) TO lead_intel_app;
-- The product's own tables: run history, daily snapshots (upsert and retention purge), model registry.
GRANT SELECT, INSERT, UPDATE ON dbo.lead_scoring_runs TO lead_intel_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON dbo.lead_velocity_snapshots TO lead_intel_app;
GRANT SELECT, INSERT ON dbo.lead_scoring_models TO lead_intel_app;
-- Table-valued parameters need EXECUTE on their type (https://learn.microsoft.com/sql/relational-databases/tables/use-table-valued-parameters-database-engine#permissions).
GRANT EXECUTE ON TYPE::dbo.LeadIdList TO lead_intel_app;
GRANT EXECUTE ON TYPE::dbo.LeadScoreRow TO lead_intel_app;
GRANT EXECUTE ON TYPE::dbo.LeadSnapshotRow TO lead_intel_app;
