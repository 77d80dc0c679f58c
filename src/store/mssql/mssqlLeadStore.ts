import sql from 'mssql';
import type { MssqlConfig } from '../../config/loadConfig';
import type { ConversionModel } from '../../scoring';
import type {
  FeatureChunk,
  LeadDetail,
  LeadPage,
  LeadQuery,
  LeadStore,
  ModelRecord,
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
import { MssqlContext, toStoreError } from './mssqlContext';
import { readKeyset } from './mssqlKeysetReader';
import { MssqlLeadQueries } from './mssqlLeadQueries';
import { MssqlModelRegistry } from './mssqlModelRegistry';
import { acquireMssqlRunLock } from './mssqlRunLock';
import { MssqlRunLog } from './mssqlRunLog';
import { MssqlScoreWriter } from './mssqlScoreWriter';
import { mssqlPoolConfig } from './poolConfig';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import * as Q from './statements';

export { toStoreError };

/**
 * The production store: Azure SQL / SQL Server over mssql (tedious). One pool per process. Reads stream the scoring
 * input view in keyset chunks straight into typed arrays (array row mode, no row objects kept); subset reruns join a
 * `dbo.LeadIdList` TVP. Scores go back through a `dbo.LeadScoreRow` TVP MERGE and snapshots through a
 * `dbo.LeadSnapshotRow` TVP MERGE, in batches below the lock-escalation threshold, each batch its own transaction,
 * retried on transient errors with capped, jittered backoff on a fresh pooled connection. A façade: each role of the
 * port lives in its file in this folder (run lock, run log, keyset reader, score writer, model registry, lead
 * queries); every statement they send is in statements.ts.
 */
export class MssqlLeadStore implements LeadStore {
  readonly kind = 'mssql' as const;
  private readonly ctx: MssqlContext;
  private readonly runLog: MssqlRunLog;
  private readonly scoreWriter: MssqlScoreWriter;
  private readonly models: MssqlModelRegistry;
  private readonly leads: MssqlLeadQueries;

  private constructor(
    private readonly pool: sql.ConnectionPool,
    cfg: MssqlConfig,
    retry: RetryPolicy,
    leaseMs: number = DEFAULT_RUN_LOCK_LEASE_MS,
  ) {
    this.ctx = new MssqlContext(pool, cfg, retry, leaseMs);
    this.runLog = new MssqlRunLog(this.ctx);
    this.scoreWriter = new MssqlScoreWriter(this.ctx);
    this.models = new MssqlModelRegistry(this.ctx);
    this.leads = new MssqlLeadQueries(this.ctx);
  }

  /** Connects the process's pool (fails with STORE_UNAVAILABLE when the server cannot be reached). */
  static async connect(
    cfg: MssqlConfig,
    options: { retry?: RetryPolicy; leaseMs?: number } = {},
  ): Promise<MssqlLeadStore> {
    const pool = new sql.ConnectionPool(mssqlPoolConfig(cfg));
    try {
      await pool.connect();
    } catch (e) {
      throw toStoreError('connect', e);
    }
    return new MssqlLeadStore(pool, cfg, options.retry ?? DEFAULT_RETRY, options.leaseMs);
  }

  /**
   * A store over a pool the caller owns: a recording test double of the mssql pool in tests and in the wire
   * benchmark (src/store/mssql/recordingPool.ts), so what the adapter sends can be counted without a server.
   */
  static overPool(
    pool: sql.ConnectionPool,
    cfg: MssqlConfig,
    options: { retry?: RetryPolicy } = {},
  ): MssqlLeadStore {
    return new MssqlLeadStore(pool, cfg, options.retry ?? DEFAULT_RETRY);
  }

  acquireRunLock(): Promise<RunLock> {
    return acquireMssqlRunLock(this.ctx);
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
    return readKeyset(
      this.ctx,
      'read the scoring input view',
      options.leadIds ? Q.READ_CHUNK_SUBSET : Q.READ_CHUNK,
      options,
    );
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
    return this.leads.queryLeads(query);
  }

  getLead(leadId: number, snapshotsFrom: string): Promise<LeadDetail | null> {
    return this.leads.getLead(leadId, snapshotsFrom);
  }

  /** The pool, for the migration runner and the integration tests. */
  get connectionPool(): sql.ConnectionPool {
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
