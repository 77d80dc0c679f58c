import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { isLeadIntelError, RunLockedError, RunLockLostError, StoreError } from '../../errors';
import { CHURN_RISKS, FOLLOW_UP_STATUSES } from '../../scoring';
import { FeatureChunkBuilder } from '../featureChunkBuilder';
import type { ConversionModel } from '../../scoring';
import type {
  FeatureChunk,
  ModelRecord,
  LeadPage,
  LeadQuery,
  LeadStore,
  ReadScoringInputOptions,
  RunFinish,
  RunLock,
  RunRecord,
  RunStart,
  ScoreWriteChunk,
  ScoreWriteResult,
  SnapshotChunk,
} from '../leadStore';
import { quoteIdentifier } from '../../mapping';
import { toRunRecord, type RunRow } from '../rowMappings';
import { abandonedRunMessage, DEFAULT_RUN_LOCK_LEASE_MS, RUN_ABANDONED } from '../runLease';
import { migrateSqlite, type MigrationOptions } from './migrateSqlite';
import { queryLeadsSqlite } from './queryLeadsSqlite';

export interface SqliteLeadStoreOptions {
  /**
   * Apply pending embedded migrations on open, with these options (CLI and tests; the function app never migrates
   * on start-up). `true`: the guide's mapping, no baseline.
   */
  readonly migrate?: boolean | MigrationOptions;
  /**
   * The run lock's lease (ms): how long it lives without renewal before another run may take it over, so how long a
   * killed run blocks the next one. Default 2 min (RUN_LOCK_LEASE_SECONDS).
   */
  readonly leaseMs?: number;
  /** Open a database that has no scoring schema yet (the migrate command). */
  readonly skipSchemaCheck?: boolean;
  /** Wall clock for locks and run rows; injectable for tests. */
  readonly clock?: () => number;
  /** How long a writer waits for another process's write transaction (ms). Default 10 s. */
  readonly busyTimeoutMs?: number;
  /**
   * Create the file (and its folder) when it does not exist. Default true (demo, seed, tests); false for commands
   * that must find an existing database, so a mistyped path is an error instead of a new empty file.
   */
  readonly create?: boolean;
  /** Open read-only (commands that only read): nothing can be written, not even the WAL switch; implies `create: false`. */
  readonly readonly?: boolean;
}

const LOCK_NAME = 'lead-scoring';

interface ScoreStatements {
  readonly update: Database.Statement;
  readonly touch: Database.Statement;
  readonly exists: Database.Statement;
}

/**
 * Registers li_now() / li_today(), the clock the scoring input view reads, on a connection. On a run's read
 * connection the clock is fixed, so the functions are declared deterministic: SQLite then evaluates them once per
 * statement instead of once per follow-up and visit row (a JS call each; it was most of the read time).
 */
function registerClock(db: Database.Database, now: () => number, fixed: boolean): void {
  db.function('li_now', { deterministic: fixed }, () => Math.round(now()));
  db.function('li_today', { deterministic: fixed }, () => new Date(now()).toISOString().slice(0, 10));
}

function toStoreError(what: string, e: unknown): Error {
  if (isLeadIntelError(e)) return e;
  const code = (e as { code?: unknown }).code;
  const unavailable =
    typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY)/.test(code);
  return new StoreError(
    unavailable ? 'STORE_UNAVAILABLE' : 'STORE_QUERY_FAILED',
    `Embedded store could not ${what}: ${(e as Error).message}`,
    e,
  );
}

/**
 * The embedded store: the production schema in SQLite (`migrations/sqlite/`), on better-sqlite3. WAL mode, so a run
 * streams the scoring input on its own read connection (one consistent snapshot) while chunks commit on the writer.
 */
export class SqliteLeadStore implements LeadStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly clock: () => number;
  private readonly leaseMs: number;
  private readonly busyTimeoutMs: number;
  private closed = false;

  private constructor(
    readonly path: string,
    options: SqliteLeadStoreOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.leaseMs = options.leaseMs ?? DEFAULT_RUN_LOCK_LEASE_MS;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
    const readonly = options.readonly === true;
    this.db = this.connect(readonly, this.clock, {
      fileMustExist: readonly || options.create === false,
      fixedClock: false,
    });
  }

  /** Opens (creating the file and its folder if needed, unless `create: false` or `readonly`) and optionally migrates. */
  static open(path: string, options: SqliteLeadStoreOptions = {}): SqliteLeadStore {
    const create = options.create !== false && options.readonly !== true;
    if (path !== ':memory:' && create) mkdirSync(dirname(path), { recursive: true });
    let store: SqliteLeadStore;
    try {
      store = new SqliteLeadStore(path, options);
    } catch (e) {
      const missing = !create && path !== ':memory:' && !existsSync(path);
      throw new StoreError(
        'STORE_UNAVAILABLE',
        missing
          ? `The embedded database ${path} does not exist; create it with "lead-intel demo" (synthetic leads) or "lead-intel migrate --with-baseline"`
          : `Cannot open the embedded database ${path}: ${(e as Error).message}`,
        e,
      );
    }
    try {
      if (options.migrate) migrateSqlite(store.db, options.migrate === true ? {} : options.migrate);
      if (!options.skipSchemaCheck) store.assertSchema();
    } catch (e) {
      store.db.close();
      throw e;
    }
    return store;
  }

  /** The writer connection, for the CLI's seeding and for tests. */
  get connection(): Database.Database {
    return this.db;
  }

  private connect(
    readonly: boolean,
    now: () => number,
    how: { readonly fileMustExist?: boolean; readonly fixedClock?: boolean } = {},
  ): Database.Database {
    const db = new Database(this.path, { readonly, fileMustExist: how.fileMustExist ?? readonly });
    db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    // 64 MB page cache per connection (the default 2 MB thrashes on a million-lead table) and in-memory temp tables.
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    registerClock(db, now, how.fixedClock ?? readonly);
    return db;
  }

  /**
   * Runs a synchronous database call as the port's promise, turning SQLite errors into typed store errors that keep
   * the driver's code (SQLITE_BUSY / SQLITE_CANTOPEN … → STORE_UNAVAILABLE; anything else → STORE_QUERY_FAILED).
   */
  private attempt<T>(what: string, fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      if (isLeadIntelError(e)) return Promise.reject(e); // RUN_LOCKED, RUN_LOCK_LOST, a store error already typed
      const code = (e as { code?: unknown }).code;
      const unavailable =
        typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY)/.test(code);
      return Promise.reject(
        new StoreError(
          unavailable ? 'STORE_UNAVAILABLE' : 'STORE_QUERY_FAILED',
          `Embedded store could not ${what}: ${(e as Error).message}`,
          e,
        ),
      );
    }
  }

  private assertSchema(): void {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('v_lead_scoring_input', 'lead_scoring_runs', 'lead_velocity_snapshots', 'li_leads', 'lead_intel_mapping')`,
      )
      .get() as { n: number };
    if (row.n < 5) {
      throw new StoreError(
        'STORE_UNAVAILABLE',
        `The embedded database ${this.path} has no scoring schema; run "lead-intel migrate" (or "npm run demo") first`,
      );
    }
  }

  /**
   * The run lock is a row of lead_scoring_lock with a lease: taken when there is none, when it is ours, or when its
   * lease has run out (a holder that stopped renewing, e.g. killed by kill -9, blocks the next run for at most one
   * lease). `renew` extends the lease only while the row is still ours, and rejects with RunLockLostError otherwise.
   */
  acquireRunLock(owner: string = `${hostname()}:${process.pid}:${randomUUID()}`): Promise<RunLock> {
    const take = this.db.transaction(() => {
      const t = this.clock();
      const held = this.db
        .prepare('SELECT Owner, StartedAt, ExpiresAt FROM lead_scoring_lock WHERE Name = ?')
        .get(LOCK_NAME) as { Owner: string; StartedAt: number; ExpiresAt: number } | undefined;
      if (held && held.ExpiresAt > t && held.Owner !== owner) {
        const running = this.db
          .prepare(
            `SELECT RunId FROM lead_scoring_runs WHERE Status = 'running' ORDER BY StartedAt DESC LIMIT 1`,
          )
          .get() as { RunId: number } | undefined;
        throw new RunLockedError(new Date(held.StartedAt), running?.RunId ?? null, new Date(held.ExpiresAt));
      }
      this.db
        .prepare(
          `INSERT INTO lead_scoring_lock (Name, Owner, StartedAt, ExpiresAt) VALUES (?, ?, ?, ?)
           ON CONFLICT (Name) DO UPDATE SET Owner = excluded.Owner, StartedAt = excluded.StartedAt, ExpiresAt = excluded.ExpiresAt`,
        )
        .run(LOCK_NAME, owner, t, t + this.leaseMs);
    });
    let released = false;
    const leaseMs = this.leaseMs;
    return this.attempt('take the run lock', () => {
      take.immediate();
      return {
        leaseMs,
        renew: () => {
          if (released) return Promise.reject(new RunLockLostError('The run lock was released by this run'));
          return this.attempt('renew the run lock', () => {
            const renewed = this.db
              .prepare('UPDATE lead_scoring_lock SET ExpiresAt = ? WHERE Name = ? AND Owner = ?')
              .run(this.clock() + leaseMs, LOCK_NAME, owner).changes;
            if (renewed === 0)
              throw new RunLockLostError(
                `The run lock was taken over by another run (its lease of ${leaseMs / 1000} s ran out before this run renewed it); stopping this run`,
              );
          });
        },
        release: () => {
          if (released || this.closed) return Promise.resolve();
          released = true;
          return this.attempt('release the run lock', () => {
            this.db
              .prepare('DELETE FROM lead_scoring_lock WHERE Name = ? AND Owner = ?')
              .run(LOCK_NAME, owner);
          });
        },
      } satisfies RunLock;
    });
  }

  /** One transaction: close the stale `running` rows as abandoned, insert this run's row unless its key exists. */
  startRun(run: RunStart): Promise<number> {
    return this.attempt('record the run start', () =>
      this.db
        .transaction(() => {
          const t = this.clock();
          this.db
            .prepare(
              `UPDATE lead_scoring_runs SET Status = 'abandoned', ErrorCode = ?, ErrorMessage = ?
             WHERE Status = 'running' AND StartedAt < ? AND RunKey <> ?`,
            )
            .run(RUN_ABANDONED, abandonedRunMessage(t, this.leaseMs), t - this.leaseMs, run.runKey);
          this.db
            .prepare(
              `INSERT INTO lead_scoring_runs (RunKey, TriggerKind, StartedAt, Status, RequestedLeads)
             SELECT ?, ?, ?, 'running', ? WHERE NOT EXISTS (SELECT 1 FROM lead_scoring_runs WHERE RunKey = ?)`,
            )
            .run(run.runKey, run.trigger, run.startedAt, run.requestedLeads, run.runKey);
          return (
            this.db.prepare('SELECT RunId FROM lead_scoring_runs WHERE RunKey = ?').get(run.runKey) as {
              RunId: number;
            }
          ).RunId;
        })
        .immediate(),
    );
  }

  finishRun(runId: number, r: RunFinish): Promise<void> {
    return this.attempt('record the run outcome', () => {
      this.db
        .prepare(
          `UPDATE lead_scoring_runs SET Status = ?, FinishedAt = ?, LeadsRead = ?, LeadsScored = ?, LeadsSkipped = ?,
           RowsChanged = ?, SnapshotsWritten = ?, DurationMs = ?, ErrorCode = ?, ErrorMessage = ?, SummaryJson = ?
         WHERE RunId = ? AND Status = 'running'`,
        )
        .run(
          r.status,
          r.finishedAt,
          r.leadsRead,
          r.leadsScored,
          r.leadsSkipped,
          r.rowsChanged,
          r.snapshotsWritten,
          Math.round(r.durationMs),
          r.errorCode ?? null,
          r.errorMessage?.slice(0, 2000) ?? null,
          r.summary === undefined ? null : JSON.stringify(r.summary),
          runId,
        );
    });
  }

  // better-sqlite3 reads synchronously; the method is an async generator to fit the port (the Azure SQL store streams).
  // eslint-disable-next-line @typescript-eslint/require-await
  async *readScoringInput(options: ReadScoringInputOptions): AsyncIterable<FeatureChunk> {
    // A connection of its own: its read transaction is one snapshot for the whole run, and its clock is this run's.
    let reader: Database.Database;
    try {
      reader = this.connect(true, () => options.asOf);
    } catch (e) {
      throw toStoreError('open a read connection', e);
    }
    try {
      const subset = options.leadIds !== undefined;
      const stmt = reader
        .prepare(
          `SELECT * FROM v_lead_scoring_input${subset ? ' WHERE LeadId IN (SELECT value FROM json_each(?))' : ''} ORDER BY LeadId`,
        )
        .raw(true);
      const builder = new FeatureChunkBuilder(
        stmt.columns().map((c) => c.name),
        options.chunkSize,
      );
      const rows = (
        subset ? stmt.iterate(JSON.stringify(options.leadIds)) : stmt.iterate()
      ) as IterableIterator<unknown[]>;
      for (const row of rows) {
        builder.add(row);
        if (builder.full) yield builder.finish();
      }
      if (builder.length > 0) yield builder.finish();
    } catch (e) {
      throw toStoreError('read the scoring input view', e);
    } finally {
      reader.close();
    }
  }

  /**
   * One chunk in one transaction. Per row: an UPDATE of the nine columns guarded by "any score differs"; when it
   * changed nothing, a second UPDATE advances only ScoresLastUpdated (every-run, the rule the guide's freshness check
   * needs) or, with on-change, nothing is written and a key lookup tells an unchanged row from a deleted one. (A set-based UPDATE … FROM a temp table was
   * measured slower here: 21 µs against 12 µs per row.)
   */
  writeScores(chunk: ScoreWriteChunk): Promise<ScoreWriteResult> {
    const s = chunk.scores;
    const n = s.leadId.length;
    return this.attempt('write scores', () => {
      const st = (this.scoreStatements ??= this.prepareScoreStatements());
      let changed = 0;
      let unchanged = 0;
      this.db.transaction(() => {
        for (let i = 0; i < n; i++) {
          const id = s.leadId[i];
          const h = s.health[i];
          const v = s.velocity[i];
          const p = s.priority[i];
          const c = s.conversion[i];
          const r = CHURN_RISKS[s.churnRisk[i]!];
          const f = FOLLOW_UP_STATUSES[s.followUpStatus[i]!];
          const o = s.overdueDays[i];
          const j = chunk.recommendationJson[i];
          if (st.update.run(h, v, p, c, r, f, o, j, chunk.scoredAt, id, h, v, p, c, r, f, o, j).changes > 0)
            changed++;
          else if (chunk.touchUnchanged) unchanged += st.touch.run(chunk.scoredAt, id).changes;
          else if (st.exists.get(id) !== undefined) unchanged++;
        }
      })();
      return { changed, unchanged, missing: n - changed - unchanged };
    });
  }

  private scoreStatements: ScoreStatements | undefined;

  /**
   * The score writes, on the mapped lead table (SQLite views cannot be updated; the names come from
   * lead_intel_mapping, which migration 002 wrote from the mapping). `IS NOT` compares JSON text byte for byte.
   */
  private prepareScoreStatements(): ScoreStatements {
    const names = new Map(
      (
        this.db.prepare('SELECT Name, Value FROM lead_intel_mapping').all() as {
          Name: string;
          Value: string;
        }[]
      ).map((r) => [r.Name, r.Value]),
    );
    const table = quoteIdentifier(names.get('LeadTable') ?? 'lead', 'sqlite');
    const key = quoteIdentifier(names.get('LeadKey') ?? 'LeadId', 'sqlite');
    return {
      update: this.db.prepare(
        `UPDATE ${table} SET HealthScore = ?, VelocityScore = ?, AIPriority = ?, ConversionProbability = ?, ChurnRisk = ?,
           FollowUpStatus = ?, OverdueDays = ?, RecommendationJson = ?, ScoresLastUpdated = ?
         WHERE ${key} = ? AND (HealthScore IS NOT ? OR VelocityScore IS NOT ? OR AIPriority IS NOT ?
           OR ConversionProbability IS NOT ? OR ChurnRisk IS NOT ? OR FollowUpStatus IS NOT ? OR OverdueDays IS NOT ?
           OR RecommendationJson IS NOT ?)`,
      ),
      touch: this.db.prepare(`UPDATE ${table} SET ScoresLastUpdated = ? WHERE ${key} = ?`),
      exists: this.db.prepare(`SELECT 1 FROM ${table} WHERE ${key} = ?`).pluck(),
    };
  }

  writeSnapshots(c: SnapshotChunk): Promise<number> {
    const upsert = this.db.prepare(
      `INSERT INTO lead_velocity_snapshots (LeadId, SnapshotDate, HealthScore, VelocityScore, Activity7d, Activity30d,
         CompletedFollowUps7d, Visits7d, UpdatedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (LeadId, SnapshotDate) DO UPDATE SET HealthScore = excluded.HealthScore,
         VelocityScore = excluded.VelocityScore, Activity7d = excluded.Activity7d, Activity30d = excluded.Activity30d,
         CompletedFollowUps7d = excluded.CompletedFollowUps7d, Visits7d = excluded.Visits7d, UpdatedAt = excluded.UpdatedAt`,
    );
    return this.attempt('write snapshots', () => {
      this.db.transaction(() => {
        for (let i = 0; i < c.leadId.length; i++) {
          upsert.run(
            c.leadId[i],
            c.day,
            c.health[i],
            c.velocity[i],
            c.activity7d[i],
            c.activity30d[i],
            c.completedFollowUps7d[i],
            c.visits7d[i],
            c.writtenAt,
          );
        }
      })();
      return c.leadId.length;
    });
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- synchronous driver behind an async port
  async *readTrainingInput(options: { chunkSize: number }): AsyncIterable<FeatureChunk> {
    const stmt = this.db.prepare('SELECT * FROM v_lead_training_input ORDER BY LeadId').raw(true);
    const builder = new FeatureChunkBuilder(
      stmt.columns().map((c) => c.name),
      options.chunkSize,
    );
    try {
      // materialised per chunk: the writer connection is not used while training data is read
      for (const row of stmt.iterate() as IterableIterator<unknown[]>) {
        builder.add(row);
        if (builder.full) yield builder.finish();
      }
      if (builder.length > 0) yield builder.finish();
    } catch (e) {
      throw toStoreError('read the training view', e);
    }
  }

  saveModel(r: ModelRecord): Promise<number> {
    return this.attempt('save a model', () => {
      const row = this.db
        .prepare(
          `INSERT INTO lead_scoring_models (Version, TrainedAt, WindowFrom, WindowTo, Published, Won, Lost, HoldoutAuc, FeatureList, ModelJson, Note)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ModelId`,
        )
        .get(
          r.model?.version ?? new Date(r.trainedAt).toISOString(),
          r.trainedAt,
          r.model?.window.from ?? null,
          r.model?.window.to ?? null,
          r.published ? 1 : 0,
          r.won,
          r.lost,
          r.model && Number.isFinite(r.model.metrics.holdout.auc) ? r.model.metrics.holdout.auc : null,
          r.model ? JSON.stringify(r.model.spec.columns.map((c) => c.name)) : null,
          r.model ? JSON.stringify(r.model) : null,
          r.note,
        ) as { ModelId: number };
      return row.ModelId;
    });
  }

  latestPublishedModel(): Promise<ConversionModel | null> {
    return this.attempt('read the published model', () => {
      const row = this.db
        .prepare(
          'SELECT ModelJson FROM lead_scoring_models WHERE Published = 1 ORDER BY TrainedAt DESC, ModelId DESC LIMIT 1',
        )
        .get() as { ModelJson: string } | undefined;
      return row ? (JSON.parse(row.ModelJson) as ConversionModel) : null;
    });
  }

  lastModelAttempt(): Promise<{ trainedAt: number; note: string | null } | null> {
    return this.attempt('read the last training attempt', () => {
      const row = this.db
        .prepare(
          'SELECT TrainedAt, Note FROM lead_scoring_models ORDER BY TrainedAt DESC, ModelId DESC LIMIT 1',
        )
        .get() as { TrainedAt: number; Note: string | null } | undefined;
      return row ? { trainedAt: row.TrainedAt, note: row.Note } : null;
    });
  }

  purgeSnapshots(beforeDay: string): Promise<number> {
    return this.attempt(
      'purge old snapshots',
      () =>
        this.db.prepare('DELETE FROM lead_velocity_snapshots WHERE SnapshotDate < ?').run(beforeDay).changes,
    );
  }

  queryLeads(query: LeadQuery): Promise<LeadPage> {
    return this.attempt('query leads', () => queryLeadsSqlite(this.db, query));
  }

  listRuns(limit: number): Promise<RunRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM lead_scoring_runs ORDER BY StartedAt DESC, RunId DESC LIMIT ?')
      .all(limit) as RunRow[];
    return Promise.resolve(rows.map(toRunRecord));
  }

  getRun(runId: number): Promise<RunRecord | null> {
    const row = this.db.prepare('SELECT * FROM lead_scoring_runs WHERE RunId = ?').get(runId) as
      RunRow | undefined;
    return Promise.resolve(row ? toRunRecord(row) : null);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }
}
