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
 * Scores of one batch. No HOLDLOCK: this MERGE has no insert branch (the hazard HOLDLOCK guards against is two
 * sessions both deciding to INSERT the same key), it only updates rows it matches by primary key. The source is a
 * TVP whose primary key on LeadId guarantees one source row per target row. The AND predicate skips rows whose nine
 * values are unchanged, so they are not rewritten (no log, no index maintenance, no change tracking noise).
 * Terminated by a semicolon, as MERGE requires.
 */
export const MERGE_SCORES = `MERGE dbo.lead AS t
USING @rows AS s ON t.LeadId = s.LeadId
WHEN MATCHED AND (
       t.HealthScore IS NULL OR t.HealthScore <> s.HealthScore
    OR t.VelocityScore IS NULL OR t.VelocityScore <> s.VelocityScore
    OR t.AIPriority IS NULL OR t.AIPriority <> s.AIPriority
    OR t.ConversionProbability IS NULL OR t.ConversionProbability <> s.ConversionProbability
    OR t.ChurnRisk IS NULL OR t.ChurnRisk <> s.ChurnRisk
    OR t.FollowUpStatus IS NULL OR t.FollowUpStatus <> s.FollowUpStatus
    OR t.OverdueDays IS NULL OR t.OverdueDays <> s.OverdueDays
    OR t.RecommendationJson IS NULL OR t.RecommendationJson <> s.RecommendationJson)
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
FROM dbo.lead AS t
INNER JOIN @rows AS s ON s.LeadId = t.LeadId
WHERE t.ScoresLastUpdated IS NULL OR t.ScoresLastUpdated <> @scoredAt;
SELECT COUNT(*) AS present FROM dbo.lead AS t INNER JOIN @rows AS s ON s.LeadId = t.LeadId;`;

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

export const ENSURE_SCHEMA_MIGRATIONS = `IF OBJECT_ID(N'dbo.schema_migrations', N'U') IS NULL
    CREATE TABLE dbo.schema_migrations (
        Version   NVARCHAR(10)  NOT NULL CONSTRAINT PK_schema_migrations PRIMARY KEY,
        Name      NVARCHAR(200) NOT NULL,
        AppliedAt DATETIME2(3)  NOT NULL CONSTRAINT DF_schema_migrations_AppliedAt DEFAULT SYSUTCDATETIME()
    );`;

export const APPLIED_MIGRATIONS = `SELECT Version FROM dbo.schema_migrations;`;

export const RECORD_MIGRATION = `INSERT INTO dbo.schema_migrations (Version, Name) VALUES (@version, @name);`;

export const HAS_LEAD_TABLE = `SELECT CASE WHEN OBJECT_ID(N'dbo.lead', N'U') IS NULL THEN 0 ELSE 1 END AS hasLead;`;

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

export function leadsFilter(s: LeadsStatementShape): string {
  const w = [
    'HealthScore IS NOT NULL',
    `COALESCE(LeadStatus, N'') NOT IN (N'Won', N'Lost', N'Disqualified', N'Closed')`,
  ];
  if (s.churnRisk) w.push(`ChurnRisk IN (${list('churn', s.churnRisk)})`);
  if (s.followUpStatus) w.push(`FollowUpStatus IN (${list('fus', s.followUpStatus)})`);
  if (s.status) w.push(`LeadStatus IN (${list('status', s.status)})`);
  if (s.minPriority) w.push('AIPriority >= @minPriority');
  if (s.maxHealth) w.push('HealthScore <= @maxHealth');
  if (s.updatedSince) w.push('ScoresLastUpdated >= @updatedSince');
  return w.join(' AND ');
}

export function queryLeadsStatement(s: LeadsStatementShape): string {
  const filter = leadsFilter(s);
  const page = s.after
    ? ` AND (${s.sortColumn} ${s.desc ? '<' : '>'} @afterValue OR (${s.sortColumn} = @afterValue AND LeadId > @afterId))`
    : '';
  return `SELECT COUNT(*) AS count, AVG(CAST(HealthScore AS FLOAT)) AS avgHealth, AVG(CAST(AIPriority AS FLOAT)) AS avgPriority,
    AVG(CAST(ConversionProbability AS FLOAT)) AS avgConversion, COALESCE(SUM(CAST(OverdueDays AS BIGINT)), 0) AS totalOverdue,
    SUM(CASE WHEN ChurnRisk = 'low' THEN 1 ELSE 0 END) AS c_low, SUM(CASE WHEN ChurnRisk = 'medium' THEN 1 ELSE 0 END) AS c_medium,
    SUM(CASE WHEN ChurnRisk = 'high' THEN 1 ELSE 0 END) AS c_high, SUM(CASE WHEN ChurnRisk = 'critical' THEN 1 ELSE 0 END) AS c_critical,
    SUM(CASE WHEN FollowUpStatus = 'none' THEN 1 ELSE 0 END) AS f_none, SUM(CASE WHEN FollowUpStatus = 'overdue' THEN 1 ELSE 0 END) AS f_overdue,
    SUM(CASE WHEN FollowUpStatus = 'today' THEN 1 ELSE 0 END) AS f_today, SUM(CASE WHEN FollowUpStatus = 'this_week' THEN 1 ELSE 0 END) AS f_this_week,
    SUM(CASE WHEN FollowUpStatus = 'scheduled' THEN 1 ELSE 0 END) AS f_scheduled
FROM dbo.lead WHERE ${filter};
SELECT TOP (@limit) LeadId, FirstName, LastName, Company, LeadStatus, LeadSource, CAST(EstimatedValue AS FLOAT) AS EstimatedValue,
    HealthScore, VelocityScore, AIPriority, CAST(ConversionProbability AS FLOAT) AS ConversionProbability, ChurnRisk,
    FollowUpStatus, OverdueDays, RecommendationJson, ScoresLastUpdated
FROM dbo.lead WHERE ${filter}${page}
ORDER BY ${s.sortColumn} ${s.desc ? 'DESC' : 'ASC'}, LeadId ASC;`;
}

/** Keyset chunk of the training view (closed leads, features as of their close date). */
export const READ_TRAINING_CHUNK = `SELECT TOP (@chunk) v.* FROM dbo.v_lead_training_input AS v WHERE v.LeadId > @after ORDER BY v.LeadId;`;

export const INSERT_MODEL = `INSERT INTO dbo.lead_scoring_models
    (Version, TrainedAt, WindowFrom, WindowTo, Published, Won, Lost, HoldoutAuc, FeatureList, ModelJson, Note)
OUTPUT INSERTED.ModelId
VALUES (@version, @trainedAt, @windowFrom, @windowTo, @published, @won, @lost, @holdoutAuc, @featureList, @modelJson, @note);`;

export const LATEST_PUBLISHED_MODEL = `SELECT TOP (1) ModelJson FROM dbo.lead_scoring_models WHERE Published = 1 ORDER BY TrainedAt DESC, ModelId DESC;`;

export const LAST_MODEL_ATTEMPT = `SELECT TOP (1) TrainedAt, Note FROM dbo.lead_scoring_models ORDER BY TrainedAt DESC, ModelId DESC;`;
