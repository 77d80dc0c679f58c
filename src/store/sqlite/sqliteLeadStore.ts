import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { StoreError } from '../../errors';
import type { ConversionModel } from '../../scoring';
import type {
  FeatureChunk,
  ModelRecord,
  LeadDetail,
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
import { DEFAULT_RUN_LOCK_LEASE_MS } from '../runLease';
import { migrateSqlite, type MigrationOptions } from './migrateSqlite';
import { leadDetailSqlite, queryLeadsSqlite } from './queryLeadsSqlite';
import { attempt } from './sqliteErrors';
import { SqliteModelRegistry } from './sqliteModelRegistry';
import { acquireSqliteRunLock } from './sqliteRunLock';
import { SqliteRunLog } from './sqliteRunLog';
import { SqliteScoreWriter } from './sqliteScoreWriter';
import { readSqliteScoringInput } from './sqliteScoringInput';

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

/**
 * Registers li_now() / li_today(), the clock the scoring input view reads, on a connection. On a run's read
 * connection the clock is fixed, so the functions are declared deterministic: SQLite then evaluates them once per
 * statement instead of once per follow-up and visit row (a JS call each; it was most of the read time).
 */
function registerClock(db: Database.Database, now: () => number, fixed: boolean): void {
  db.function('li_now', { deterministic: fixed }, () => Math.round(now()));
  db.function('li_today', { deterministic: fixed }, () => new Date(now()).toISOString().slice(0, 10));
}

/**
 * The embedded store: the production schema in SQLite (`migrations/sqlite/`), on better-sqlite3. WAL mode, so a run
 * streams the scoring input on its own read connection (one consistent snapshot) while chunks commit on the writer.
 * A façade: it owns the connections and delegates each role of the port to its file in this folder (run lock, run
 * log, scoring input, score writer, model registry, lead queries).
 */
export class SqliteLeadStore implements LeadStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly clock: () => number;
  private readonly leaseMs: number;
  private readonly busyTimeoutMs: number;
  private closed = false;
  private readonly runLog: SqliteRunLog;
  private readonly scoreWriter: SqliteScoreWriter;
  private readonly models: SqliteModelRegistry;

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
    this.runLog = new SqliteRunLog(this.db, this.clock, this.leaseMs);
    this.scoreWriter = new SqliteScoreWriter(this.db);
    this.models = new SqliteModelRegistry(this.db);
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
      if (options.migrate)
        migrateSqlite(store.db, {
          clock: options.clock,
          ...(options.migrate === true ? {} : options.migrate),
        });
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

  acquireRunLock(owner: string = `${hostname()}:${process.pid}:${randomUUID()}`): Promise<RunLock> {
    return acquireSqliteRunLock(
      { db: this.db, clock: this.clock, leaseMs: this.leaseMs, isClosed: () => this.closed },
      owner,
    );
  }

  startRun(run: RunStart): Promise<number> {
    return this.runLog.startRun(run);
  }

  finishRun(runId: number, result: RunFinish): Promise<void> {
    return this.runLog.finishRun(runId, result);
  }

  listRuns(limit: number): Promise<RunRecord[]> {
    return this.runLog.listRuns(limit);
  }

  getRun(runId: number): Promise<RunRecord | null> {
    return this.runLog.getRun(runId);
  }

  readScoringInput(options: ReadScoringInputOptions): AsyncIterable<FeatureChunk> {
    // a connection of its own: one snapshot for the whole run, and its clock is this run's
    return readSqliteScoringInput((asOf) => this.connect(true, () => asOf), options);
  }

  writeScores(chunk: ScoreWriteChunk): Promise<ScoreWriteResult> {
    return this.scoreWriter.writeScores(chunk);
  }

  writeSnapshots(chunk: SnapshotChunk): Promise<number> {
    return this.scoreWriter.writeSnapshots(chunk);
  }

  purgeSnapshots(beforeDay: string): Promise<number> {
    return this.scoreWriter.purgeSnapshots(beforeDay);
  }

  readTrainingInput(options: { chunkSize: number }): AsyncIterable<FeatureChunk> {
    return this.models.readTrainingInput(options);
  }

  saveModel(record: ModelRecord): Promise<number> {
    return this.models.saveModel(record);
  }

  latestPublishedModel(): Promise<ConversionModel | null> {
    return this.models.latestPublishedModel();
  }

  lastModelAttempt(): Promise<{ trainedAt: number; note: string | null } | null> {
    return this.models.lastModelAttempt();
  }

  queryLeads(query: LeadQuery): Promise<LeadPage> {
    return attempt('query leads', () => queryLeadsSqlite(this.db, query));
  }

  getLead(leadId: number, snapshotsFrom: string): Promise<LeadDetail | null> {
    return attempt('read lead', () => leadDetailSqlite(this.db, leadId, snapshotsFrom));
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }
}
