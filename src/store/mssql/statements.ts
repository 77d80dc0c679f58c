/**
 * Every T-SQL statement the Azure SQL store sends, in one place, so that the test suite can parse each of them with
 * the TSql grammar (it iterates this module's exports; nothing is kept twice by hand). Values always travel as
 * parameters or table-valued parameters; the only text ever composed is the choice among fixed fragments (the leads
 * query's filters and sort), and `queryLeadsStatement` is tested with every filter on and off.
 */

export { LEAD_DETAIL } from './leadDetailStatements';
export { leadsFilter, queryLeadsStatement, type LeadsStatementShape } from './leadsStatements';

/** The run lock: an exclusive application lock owned by the session of a dedicated connection, never waited for. */
export const ACQUIRE_LOCK = `DECLARE @result INT;
EXEC @result = sp_getapplock @Resource = N'lead-intelligence-scoring', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0;
SELECT @result AS result;`;

export const RELEASE_LOCK = `EXEC sp_releaseapplock @Resource = N'lead-intelligence-scoring', @LockOwner = 'Session';`;

/** Whether this session still holds the run lock (the heartbeat's renew): 'Exclusive', or 'NoLock' once it is lost. */
export const LOCK_MODE = `SELECT APPLOCK_MODE('public', N'lead-intelligence-scoring', 'Session') AS mode;`;

/** Who holds the lock: the newest run still marked running. */
export const LOCK_HOLDER = `SELECT TOP (1) RunId, StartedAt FROM dbo.lead_scoring_runs WHERE Status = 'running' ORDER BY StartedAt DESC, RunId DESC;`;

/** Keyset chunk of the scoring input as of the run's instant (all active leads). */
export const READ_CHUNK = `SELECT TOP (@chunk) v.* FROM dbo.li_scoring_input(@asOf) AS v WHERE v.LeadId > @after ORDER BY v.LeadId;`;

/** Keyset chunk of the scoring input restricted to a TVP of lead ids (subset reruns). */
export const READ_CHUNK_SUBSET = `SELECT TOP (@chunk) v.* FROM dbo.li_scoring_input(@asOf) AS v
INNER JOIN @ids AS i ON i.LeadId = v.LeadId
WHERE v.LeadId > @after ORDER BY v.LeadId;`;

/**
 * Scores of one batch, through dbo.li_leads, the mapping's single-table view of the CRM's lead table (the only
 * object that knows its name): a MERGE may target an updatable view, and only the nine score columns are set
 * (https://learn.microsoft.com/sql/t-sql/statements/merge-transact-sql#arguments, target_table). No HOLDLOCK: this
 * MERGE has no insert branch (the hazard HOLDLOCK guards against is two sessions both deciding to INSERT the same
 * key), it only updates rows it matches by key. The TVP's primary key on LeadId guarantees one source row per
 * target row. The AND predicate skips rows whose nine values are unchanged, so they are not rewritten (no log, no
 * index maintenance, no trigger or change-tracking noise); RecommendationJson is compared under a binary collation,
 * because the database's (usually case-insensitive) collation would call "Call now" and "call now" equal
 * (https://learn.microsoft.com/sql/relational-databases/collations/collation-and-unicode-support).
 */
const MERGE_CHANGED_SCORES = `MERGE dbo.li_leads AS t
USING @rows AS s ON t.LeadId = s.LeadId
WHEN MATCHED AND (
       t.HealthScore IS NULL OR t.HealthScore <> s.HealthScore
    OR t.VelocityScore IS NULL OR t.VelocityScore <> s.VelocityScore
    OR t.AIPriority IS NULL OR t.AIPriority <> s.AIPriority
    OR t.ConversionProbability IS NULL OR t.ConversionProbability <> s.ConversionProbability
    OR t.ChurnRisk IS NULL OR t.ChurnRisk <> s.ChurnRisk
    OR t.FollowUpStatus IS NULL OR t.FollowUpStatus <> s.FollowUpStatus
    OR t.OverdueDays IS NULL OR t.OverdueDays <> s.OverdueDays
    OR t.RecommendationJson IS NULL
    OR t.RecommendationJson COLLATE Latin1_General_100_BIN2 <> s.RecommendationJson COLLATE Latin1_General_100_BIN2)
THEN UPDATE SET
    t.HealthScore = s.HealthScore,
    t.VelocityScore = s.VelocityScore,
    t.AIPriority = s.AIPriority,
    t.ConversionProbability = s.ConversionProbability,
    t.ChurnRisk = s.ChurnRisk,
    t.FollowUpStatus = s.FollowUpStatus,
    t.OverdueDays = s.OverdueDays,
    t.RecommendationJson = s.RecommendationJson,
    t.ScoresLastUpdated = @scoredAt;
DECLARE @changed INT = @@ROWCOUNT;`;

/** How many of the batch's leads still exist (the rest were deleted between the read and the write). */
const COUNT_PRESENT = `SELECT @changed AS changed, (SELECT COUNT(*) FROM dbo.li_leads AS t INNER JOIN @rows AS s ON s.LeadId = t.LeadId) AS present;`;

/**
 * One write batch in ONE round trip, one transaction (XACT_ABORT: any error rolls the whole batch back, and the
 * adapter retries it): the MERGE of changed rows, then — with SCORES_LAST_UPDATED=every-run, the guide's meaning — a
 * narrow UPDATE advancing only ScoresLastUpdated on the batch's unchanged rows, then the counts. Defensive: a
 * transaction left open on the pooled connection (by a request cancelled before its XACT_ABORT took effect, say)
 * would swallow this batch's COMMIT and keep its locks, so the batch refuses to run inside one; its THROW under
 * XACT_ABORT rolls the stray transaction back (a ROLLBACK inside sp_executesql would raise error 266), and error
 * 51001 is retried.
 */
export const WRITE_SCORES_EVERY_RUN = `SET XACT_ABORT ON;
IF @@TRANCOUNT > 0 THROW 51001, N'lead-intel: a transaction was left open on this connection; rolled back, retrying', 1;
BEGIN TRANSACTION;
${MERGE_CHANGED_SCORES}
UPDATE t SET t.ScoresLastUpdated = @scoredAt
FROM dbo.li_leads AS t
INNER JOIN @rows AS s ON s.LeadId = t.LeadId
WHERE t.ScoresLastUpdated IS NULL OR t.ScoresLastUpdated <> @scoredAt;
${COUNT_PRESENT}
COMMIT TRANSACTION;`;

/** SCORES_LAST_UPDATED=on-change: unchanged rows are not written at all (no trigger, CDC or index churn for them). */
export const WRITE_SCORES_ON_CHANGE = `SET XACT_ABORT ON;
IF @@TRANCOUNT > 0 THROW 51001, N'lead-intel: a transaction was left open on this connection; rolled back, retrying', 1;
BEGIN TRANSACTION;
${MERGE_CHANGED_SCORES}
${COUNT_PRESENT}
COMMIT TRANSACTION;`;

/**
 * The day's snapshots: an insert branch, so HOLDLOCK keeps two concurrent upserts of one key from both inserting. One
 * statement, so atomic on its own: no explicit transaction, one round trip. AIPriority (migration 006, for the trend)
 * is the value this run has just written to the lead, read through the mapped lead view in the MERGE's derived-table
 * source (https://learn.microsoft.com/sql/t-sql/statements/merge-transact-sql, <table_source>), so the TVP type
 * dbo.LeadSnapshotRow is unchanged.
 */
export const MERGE_SNAPSHOTS = `MERGE dbo.lead_velocity_snapshots WITH (HOLDLOCK) AS t
USING (SELECT r.LeadId, r.HealthScore, r.VelocityScore, r.Activity7d, r.Activity30d, r.CompletedFollowUps7d, r.Visits7d, l.AIPriority
       FROM @rows AS r LEFT JOIN dbo.li_leads AS l ON l.LeadId = r.LeadId) AS s
    ON t.LeadId = s.LeadId AND t.SnapshotDate = @day
WHEN MATCHED THEN UPDATE SET
    t.AIPriority = s.AIPriority,
    t.HealthScore = s.HealthScore,
    t.VelocityScore = s.VelocityScore,
    t.Activity7d = s.Activity7d,
    t.Activity30d = s.Activity30d,
    t.CompletedFollowUps7d = s.CompletedFollowUps7d,
    t.Visits7d = s.Visits7d,
    t.UpdatedAt = @writtenAt
WHEN NOT MATCHED BY TARGET THEN
    INSERT (LeadId, SnapshotDate, HealthScore, VelocityScore, Activity7d, Activity30d, CompletedFollowUps7d, Visits7d, UpdatedAt, AIPriority)
    VALUES (s.LeadId, @day, s.HealthScore, s.VelocityScore, s.Activity7d, s.Activity30d, s.CompletedFollowUps7d, s.Visits7d, @writtenAt, s.AIPriority);`;

/** Retention: one small batch of old snapshot rows (the caller loops while a full batch was deleted). */
export const PURGE_SNAPSHOTS = `DELETE TOP (@batch) FROM dbo.lead_velocity_snapshots WHERE SnapshotDate < @cutoff;
SELECT @@ROWCOUNT AS deleted;`;

/**
 * A run's start, sent while holding the run lock, in one transaction: rows still 'running' that started more than a
 * lease ago belong to runs whose session died (sp_getapplock released the lock with it, so none of them can be alive)
 * and are closed as abandoned; then this run's row is inserted unless its client key exists (a retry after a lost
 * acknowledgement: UQ_runs_RunKey makes a duplicate impossible, NOT EXISTS makes the retry succeed), and its id read
 * back by key.
 */
export const START_RUN = `SET XACT_ABORT ON;
IF @@TRANCOUNT > 0 THROW 51001, N'lead-intel: a transaction was left open on this connection; rolled back, retrying', 1;
BEGIN TRANSACTION;
UPDATE dbo.lead_scoring_runs SET Status = 'abandoned', ErrorCode = @abandonedCode, ErrorMessage = @abandonedMessage
WHERE Status = 'running' AND StartedAt < @staleBefore AND RunKey <> @runKey;
INSERT INTO dbo.lead_scoring_runs (RunKey, TriggerKind, StartedAt, Status, RequestedLeads)
SELECT @runKey, @trigger, @startedAt, 'running', @requestedLeads
WHERE NOT EXISTS (SELECT 1 FROM dbo.lead_scoring_runs WITH (UPDLOCK, HOLDLOCK) WHERE RunKey = @runKey);
SELECT RunId FROM dbo.lead_scoring_runs WHERE RunKey = @runKey;
COMMIT TRANSACTION;`;

export const FINISH_RUN = `UPDATE dbo.lead_scoring_runs SET
    Status = @status, FinishedAt = @finishedAt, LeadsRead = @leadsRead, LeadsScored = @leadsScored,
    LeadsSkipped = @leadsSkipped, RowsChanged = @rowsChanged, SnapshotsWritten = @snapshotsWritten,
    DurationMs = @durationMs, ErrorCode = @errorCode, ErrorMessage = @errorMessage, SummaryJson = @summaryJson
WHERE RunId = @runId AND Status = 'running';`;

export const LIST_RUNS = `SELECT TOP (@limit) * FROM dbo.lead_scoring_runs ORDER BY StartedAt DESC, RunId DESC;`;

export const GET_RUN = `SELECT * FROM dbo.lead_scoring_runs WHERE RunId = @runId;`;

/** The migration runner's bookkeeping (run by the migration principal only; the app has no right on it). */
export const ENSURE_SCHEMA_MIGRATIONS = `IF OBJECT_ID(N'dbo.schema_migrations', N'U') IS NULL
    CREATE TABLE dbo.schema_migrations (
        Version   NVARCHAR(10)  NOT NULL CONSTRAINT PK_schema_migrations PRIMARY KEY,
        Name      NVARCHAR(200) NOT NULL,
        AppliedAt DATETIME2(3)  NOT NULL CONSTRAINT DF_schema_migrations_AppliedAt DEFAULT SYSUTCDATETIME(),
        Checksum  VARCHAR(64)   NULL
    );
IF COL_LENGTH(N'dbo.schema_migrations', N'Checksum') IS NULL
    ALTER TABLE dbo.schema_migrations ADD Checksum VARCHAR(64) NULL;`;

/** Applied migrations; nothing when the bookkeeping table does not exist yet (a dry run creates nothing). */
export const APPLIED_MIGRATIONS = `IF OBJECT_ID(N'dbo.schema_migrations', N'U') IS NOT NULL
    SELECT Version, Checksum FROM dbo.schema_migrations;
ELSE
    SELECT CAST(NULL AS NVARCHAR(10)) AS Version, CAST(NULL AS VARCHAR(64)) AS Checksum WHERE 1 = 0;`;

export const RECORD_MIGRATION = `MERGE dbo.schema_migrations WITH (HOLDLOCK) AS t
USING (SELECT @version AS Version, @name AS Name, @checksum AS Checksum) AS s ON t.Version = s.Version
WHEN MATCHED THEN UPDATE SET t.Name = s.Name, t.Checksum = s.Checksum, t.AppliedAt = SYSUTCDATETIME()
WHEN NOT MATCHED BY TARGET THEN INSERT (Version, Name, Checksum) VALUES (s.Version, s.Name, s.Checksum);`;

/**
 * After a migration script: its SET LOCK_TIMEOUT 5000 outlives the batch on the session (SET options set in a batch
 * stay for the connection; mssql does not reset pooled connections), so the grants and checks that follow on that
 * connection get the default back (-1: wait) — https://learn.microsoft.com/sql/t-sql/statements/set-lock-timeout-transact-sql
 */
export const RESET_LOCK_TIMEOUT = `SET LOCK_TIMEOUT -1;`;

export const FORGET_MIGRATION = `DELETE FROM dbo.schema_migrations WHERE Version = @version;`;

/** Sent before each batch that continues a script's transaction: the session must still be the one that began it. */
export const ASSERT_IN_TRANSACTION = `IF @@TRANCOUNT = 0
    THROW 50001, N'lead-intel: the migration transaction was lost (the connection was reset); rerun migrate', 1;`;

/** Whether a product object or table type exists (the role's GRANTs are applied to those that do). */
export const OBJECT_OR_TYPE_EXISTS = `SELECT CASE WHEN OBJECT_ID(@name) IS NOT NULL OR TYPE_ID(@name) IS NOT NULL THEN 1 ELSE 0 END AS present;`;

/**
 * A mapped CRM table or view and its columns, for the pre-flight check (empty: it does not exist). The base type
 * (system_type_id: an alias type reads as what it is built on; CLR types — geography, geometry, hierarchyid — share
 * system_type_id 240, which names no type, so they read by their own user_type_id), `(max)` for MAX columns.
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-types-transact-sql
 */
export const DESCRIBE_TABLE = `SELECT o.type AS kind, c.name AS columnName,
    COALESCE(TYPE_NAME(c.system_type_id), TYPE_NAME(c.user_type_id), N'') + CASE WHEN c.max_length = -1 THEN '(max)' ELSE '' END AS typeName
FROM sys.objects AS o
INNER JOIN sys.columns AS c ON c.object_id = o.object_id
WHERE o.object_id = OBJECT_ID(@table) AND o.type IN ('U', 'V');`;

/**
 * What the pre-flight check needs to know of the lead table besides its columns: whether the key column alone is
 * the key of a unique index, 001's CHECK constraints (an interrupted 001 resumes), and what makes every write to the
 * table cost more (enabled triggers, system versioning, CDC, change tracking, replication, memory optimisation).
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-tables-transact-sql
 */
export const LEAD_TABLE_FACTS = `SELECT
    CASE WHEN EXISTS (
        SELECT 1 FROM sys.indexes AS i
        INNER JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.key_ordinal > 0
        WHERE i.object_id = t.object_id AND i.is_unique = 1
        GROUP BY i.index_id
        HAVING COUNT(*) = 1 AND MAX(CASE WHEN COL_NAME(ic.object_id, ic.column_id) = @key THEN 1 ELSE 0 END) = 1
    ) THEN 1 ELSE 0 END AS keyUnique,
    (SELECT COUNT(*) FROM sys.triggers AS tr WHERE tr.parent_id = t.object_id AND tr.is_disabled = 0) AS triggers,
    t.temporal_type AS temporalType,
    CAST(t.is_tracked_by_cdc AS INT) AS cdc,
    CASE WHEN EXISTS (SELECT 1 FROM sys.change_tracking_tables AS ct WHERE ct.object_id = t.object_id) THEN 1 ELSE 0 END AS changeTracking,
    CAST(t.is_replicated AS INT) AS replicated,
    CAST(t.is_memory_optimized AS INT) AS memoryOptimized
FROM sys.tables AS t
WHERE t.object_id = OBJECT_ID(@table);
SELECT LOWER(cc.name) AS checkName FROM sys.check_constraints AS cc WHERE cc.parent_object_id = OBJECT_ID(@table);`;

/**
 * The owner of each object (its own, else its schema's): the mapping views and the CRM tables they read must have
 * one owner, or the ownership chain breaks and the app's role, which has rights on the views only, is refused.
 */
export const OBJECT_OWNERS = `SELECT o.name AS objectName, USER_NAME(COALESCE(o.principal_id, s.principal_id)) AS ownerName
FROM sys.objects AS o
INNER JOIN sys.schemas AS s ON s.schema_id = o.schema_id
WHERE o.object_id IN (OBJECT_ID(@o0), OBJECT_ID(@o1), OBJECT_ID(@o2), OBJECT_ID(@o3), OBJECT_ID(@o4), OBJECT_ID(@o5));`;

/** Keyset chunk of the training view (closed leads, features as of their close date). */
export const READ_TRAINING_CHUNK = `SELECT TOP (@chunk) v.* FROM dbo.v_lead_training_input AS v WHERE v.LeadId > @after ORDER BY v.LeadId;`;

export const INSERT_MODEL = `INSERT INTO dbo.lead_scoring_models
    (Version, TrainedAt, WindowFrom, WindowTo, Published, Won, Lost, HoldoutAuc, FeatureList, ModelJson, Note)
OUTPUT INSERTED.ModelId
VALUES (@version, @trainedAt, @windowFrom, @windowTo, @published, @won, @lost, @holdoutAuc, @featureList, @modelJson, @note);`;

export const LATEST_PUBLISHED_MODEL = `SELECT TOP (1) ModelJson FROM dbo.lead_scoring_models WHERE Published = 1 ORDER BY TrainedAt DESC, ModelId DESC;`;

export const LAST_MODEL_ATTEMPT = `SELECT TOP (1) TrainedAt, Note FROM dbo.lead_scoring_models ORDER BY TrainedAt DESC, ModelId DESC;`;
