/**
 * Every T-SQL statement the Azure SQL store sends, in one place, so that the test suite can parse each of them with
 * the TSql grammar (it iterates this module's exports; nothing is kept twice by hand). Values always travel as
 * parameters or table-valued parameters; the only text ever composed is the choice among fixed fragments (the leads
 * query's filters and sort), and `queryLeadsStatement` is tested with every filter on and off.
 */

/** The run lock: an exclusive application lock owned by the session of a dedicated connection, never waited for. */
export const ACQUIRE_LOCK = `DECLARE @result INT;
EXEC @result = sp_getapplock @Resource = N'lead-intelligence-scoring', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0;
SELECT @result AS result;`;

export const RELEASE_LOCK = `EXEC sp_releaseapplock @Resource = N'lead-intelligence-scoring', @LockOwner = 'Session';`;

/** Who holds the lock: the newest run still marked running. */
export const LOCK_HOLDER = `SELECT TOP (1) RunId, StartedAt FROM dbo.lead_scoring_runs WHERE Status = 'running' ORDER BY StartedAt DESC, RunId DESC;`;

/** Keyset chunk of the scoring input view (all active leads). */
export const READ_CHUNK = `SELECT TOP (@chunk) v.* FROM dbo.v_lead_scoring_input AS v WHERE v.LeadId > @after ORDER BY v.LeadId;`;

/** Keyset chunk of the scoring input view restricted to a TVP of lead ids (subset reruns). */
export const READ_CHUNK_SUBSET = `SELECT TOP (@chunk) v.* FROM dbo.v_lead_scoring_input AS v
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
 * (https://learn.microsoft.com/sql/relational-databases/collations/collation-and-unicode-support). Terminated by a
 * semicolon, as MERGE requires.
 */
export const MERGE_SCORES = `MERGE dbo.li_leads AS t
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
SELECT @@ROWCOUNT AS changed;`;

/**
 * ScoresLastUpdated for the batch's unchanged rows (the guide's freshness check expects every scored row to carry the
 * run's time). Narrow: one column, and only where it differs. Also counts the rows that still exist.
 */
export const TOUCH_UNCHANGED = `UPDATE t SET t.ScoresLastUpdated = @scoredAt
FROM dbo.li_leads AS t
INNER JOIN @rows AS s ON s.LeadId = t.LeadId
WHERE t.ScoresLastUpdated IS NULL OR t.ScoresLastUpdated <> @scoredAt;
SELECT COUNT(*) AS present FROM dbo.li_leads AS t INNER JOIN @rows AS s ON s.LeadId = t.LeadId;`;

/** The day's snapshots: an insert branch, so HOLDLOCK keeps two concurrent upserts of one key from both inserting. */
export const MERGE_SNAPSHOTS = `MERGE dbo.lead_velocity_snapshots WITH (HOLDLOCK) AS t
USING @rows AS s ON t.LeadId = s.LeadId AND t.SnapshotDate = @day
WHEN MATCHED THEN UPDATE SET
    t.HealthScore = s.HealthScore,
    t.VelocityScore = s.VelocityScore,
    t.Activity7d = s.Activity7d,
    t.Activity30d = s.Activity30d,
    t.CompletedFollowUps7d = s.CompletedFollowUps7d,
    t.Visits7d = s.Visits7d,
    t.UpdatedAt = @writtenAt
WHEN NOT MATCHED BY TARGET THEN
    INSERT (LeadId, SnapshotDate, HealthScore, VelocityScore, Activity7d, Activity30d, CompletedFollowUps7d, Visits7d, UpdatedAt)
    VALUES (s.LeadId, @day, s.HealthScore, s.VelocityScore, s.Activity7d, s.Activity30d, s.CompletedFollowUps7d, s.Visits7d, @writtenAt);`;

/** Retention: one small batch of old snapshot rows (the caller loops while a full batch was deleted). */
export const PURGE_SNAPSHOTS = `DELETE TOP (@batch) FROM dbo.lead_velocity_snapshots WHERE SnapshotDate < @cutoff;
SELECT @@ROWCOUNT AS deleted;`;

export const START_RUN = `INSERT INTO dbo.lead_scoring_runs (TriggerKind, StartedAt, Status, RequestedLeads)
OUTPUT INSERTED.RunId
VALUES (@trigger, @startedAt, 'running', @requestedLeads);`;

export const FINISH_RUN = `UPDATE dbo.lead_scoring_runs SET
    Status = @status, FinishedAt = @finishedAt, LeadsRead = @leadsRead, LeadsScored = @leadsScored,
    LeadsSkipped = @leadsSkipped, RowsChanged = @rowsChanged, SnapshotsWritten = @snapshotsWritten,
    DurationMs = @durationMs, ErrorCode = @errorCode, ErrorMessage = @errorMessage, SummaryJson = @summaryJson
WHERE RunId = @runId;`;

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

export const FORGET_MIGRATION = `DELETE FROM dbo.schema_migrations WHERE Version = @version;`;

/** A mapped CRM table or view and its columns, for the pre-flight check (empty: it does not exist). */
export const DESCRIBE_TABLE = `SELECT o.type AS kind, c.name AS columnName, TYPE_NAME(c.user_type_id) AS typeName
FROM sys.objects AS o
INNER JOIN sys.columns AS c ON c.object_id = o.object_id
WHERE o.object_id = OBJECT_ID(@table) AND o.type IN ('U', 'V');`;

/**
 * The owner of each object (its own, else its schema's): the mapping views and the CRM tables they read must have
 * one owner, or the ownership chain breaks and the app's role, which has rights on the views only, is refused.
 */
export const OBJECT_OWNERS = `SELECT o.name AS objectName, USER_NAME(COALESCE(o.principal_id, s.principal_id)) AS ownerName
FROM sys.objects AS o
INNER JOIN sys.schemas AS s ON s.schema_id = o.schema_id
WHERE o.object_id IN (OBJECT_ID(@o0), OBJECT_ID(@o1), OBJECT_ID(@o2), OBJECT_ID(@o3), OBJECT_ID(@o4), OBJECT_ID(@o5));`;

/** The leads API: filters, sort column and direction chosen among fixed fragments; values are parameters. */
export interface LeadsStatementShape {
  readonly churnRisk: number;
  readonly followUpStatus: number;
  readonly status: number;
  readonly minPriority: boolean;
  readonly maxHealth: boolean;
  readonly updatedSince: boolean;
  readonly after: boolean;
  readonly sortColumn: 'AIPriority' | 'HealthScore' | 'OverdueDays' | 'ConversionProbability';
  readonly desc: boolean;
}

const list = (prefix: string, n: number): string =>
  Array.from({ length: n }, (_, i) => `@${prefix}${i}`).join(', ');

/** Active = the status map says so, or the status is not in it (as in the scoring input view). */
export function leadsFilter(s: LeadsStatementShape): string {
  const w = ['l.HealthScore IS NOT NULL', `COALESCE(sm.Category, 'active') = 'active'`];
  if (s.churnRisk) w.push(`l.ChurnRisk IN (${list('churn', s.churnRisk)})`);
  if (s.followUpStatus) w.push(`l.FollowUpStatus IN (${list('fus', s.followUpStatus)})`);
  // the CRM's status values, matched like the status map: trimmed, case-insensitive
  if (s.status)
    w.push(
      `l.StatusKey IN (${Array.from({ length: s.status }, (_, i) => `UPPER(LTRIM(RTRIM(@status${i})))`).join(', ')})`,
    );
  if (s.minPriority) w.push('l.AIPriority >= @minPriority');
  if (s.maxHealth) w.push('l.HealthScore <= @maxHealth');
  if (s.updatedSince) w.push('l.ScoresLastUpdated >= @updatedSince');
  return w.join(' AND ');
}

const LEADS_FROM = 'dbo.li_leads AS l LEFT JOIN dbo.lead_status_map AS sm ON sm.StatusKey = l.StatusKey';

export function queryLeadsStatement(s: LeadsStatementShape): string {
  const filter = leadsFilter(s);
  const page = s.after
    ? ` AND (l.${s.sortColumn} ${s.desc ? '<' : '>'} @afterValue OR (l.${s.sortColumn} = @afterValue AND l.LeadId > @afterId))`
    : '';
  return `SELECT COUNT(*) AS count, AVG(CAST(l.HealthScore AS FLOAT)) AS avgHealth, AVG(CAST(l.AIPriority AS FLOAT)) AS avgPriority,
    AVG(CAST(l.ConversionProbability AS FLOAT)) AS avgConversion, COALESCE(SUM(CAST(l.OverdueDays AS BIGINT)), 0) AS totalOverdue,
    SUM(CASE WHEN l.ChurnRisk = 'low' THEN 1 ELSE 0 END) AS c_low, SUM(CASE WHEN l.ChurnRisk = 'medium' THEN 1 ELSE 0 END) AS c_medium,
    SUM(CASE WHEN l.ChurnRisk = 'high' THEN 1 ELSE 0 END) AS c_high, SUM(CASE WHEN l.ChurnRisk = 'critical' THEN 1 ELSE 0 END) AS c_critical,
    SUM(CASE WHEN l.FollowUpStatus = 'none' THEN 1 ELSE 0 END) AS f_none, SUM(CASE WHEN l.FollowUpStatus = 'overdue' THEN 1 ELSE 0 END) AS f_overdue,
    SUM(CASE WHEN l.FollowUpStatus = 'today' THEN 1 ELSE 0 END) AS f_today, SUM(CASE WHEN l.FollowUpStatus = 'this_week' THEN 1 ELSE 0 END) AS f_this_week,
    SUM(CASE WHEN l.FollowUpStatus = 'scheduled' THEN 1 ELSE 0 END) AS f_scheduled
FROM ${LEADS_FROM} WHERE ${filter};
SELECT TOP (@limit) l.LeadId, l.FirstName, l.LastName, l.Company, l.LeadStatus, l.LeadSource, CAST(l.EstimatedValue AS FLOAT) AS EstimatedValue,
    l.HealthScore, l.VelocityScore, l.AIPriority, CAST(l.ConversionProbability AS FLOAT) AS ConversionProbability, l.ChurnRisk,
    l.FollowUpStatus, l.OverdueDays, l.RecommendationJson, l.ScoresLastUpdated
FROM ${LEADS_FROM} WHERE ${filter}${page}
ORDER BY l.${s.sortColumn} ${s.desc ? 'DESC' : 'ASC'}, l.LeadId ASC;`;
}

/** Keyset chunk of the training view (closed leads, features as of their close date). */
export const READ_TRAINING_CHUNK = `SELECT TOP (@chunk) v.* FROM dbo.v_lead_training_input AS v WHERE v.LeadId > @after ORDER BY v.LeadId;`;

export const INSERT_MODEL = `INSERT INTO dbo.lead_scoring_models
    (Version, TrainedAt, WindowFrom, WindowTo, Published, Won, Lost, HoldoutAuc, FeatureList, ModelJson, Note)
OUTPUT INSERTED.ModelId
VALUES (@version, @trainedAt, @windowFrom, @windowTo, @published, @won, @lost, @holdoutAuc, @featureList, @modelJson, @note);`;

export const LATEST_PUBLISHED_MODEL = `SELECT TOP (1) ModelJson FROM dbo.lead_scoring_models WHERE Published = 1 ORDER BY TrainedAt DESC, ModelId DESC;`;

export const LAST_MODEL_ATTEMPT = `SELECT TOP (1) TrainedAt, Note FROM dbo.lead_scoring_models ORDER BY TrainedAt DESC, ModelId DESC;`;
