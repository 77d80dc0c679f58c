import sql from 'mssql';
import type { MssqlConfig } from '../../config/loadConfig';
import { RunLockedError, RunLockLostError, StoreError } from '../../errors';
import type { ConversionModel } from '../../scoring';
import { FeatureChunkBuilder } from '../featureChunkBuilder';
import type {
  FeatureChunk,
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
import { toLeadAggregates, toLeadRecord, toRunRecord, type LeadRow, type RunRow } from '../rowMappings';
import { abandonedRunMessage, DEFAULT_RUN_LOCK_LEASE_MS, RUN_ABANDONED } from '../runLease';
import { LOCK_CONNECTIONS, mssqlPoolConfig } from './poolConfig';
import { DEFAULT_RETRY, isTransient, withRetry, type RetryPolicy } from './retry';
import * as Q from './statements';
import { leadIdListTvp, scoreRowsTvp, snapshotRowsTvp } from './tvp';

const SORTS = {
  priority: { sortColumn: 'AIPriority', desc: true },
  health: { sortColumn: 'HealthScore', desc: false },
  overdue: { sortColumn: 'OverdueDays', desc: true },
  conversion: { sortColumn: 'ConversionProbability', desc: true },
} as const;
const PURGE_BATCH = 2000;
const LOGIN_FAILED = 18456;

/** Driver errors → typed store errors, keeping the SQL error number and the driver code. */
export function toStoreError(what: string, e: unknown): Error {
  if (e instanceof RunLockedError || e instanceof StoreError) return e;
  const code = (e as { code?: unknown }).code;
  const unavailable =
    isTransient(e) ||
    code === 'ELOGIN' ||
    code === 'EINSTLOOKUP' ||
    (e as { number?: unknown }).number === LOGIN_FAILED;
  return new StoreError(
    unavailable ? 'STORE_UNAVAILABLE' : 'STORE_QUERY_FAILED',
    `Azure SQL could not ${what}: ${(e as Error).message}`,
    e,
  );
}

/** UTC midnight of a YYYY-MM-DD day, as the Date a DATE parameter takes. */
function dayDate(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/**
 * The production store: Azure SQL / SQL Server over mssql (tedious). One pool per process. Reads stream the scoring
 * input view in keyset chunks straight into typed arrays (array row mode, no row objects kept); subset reruns join a
 * `dbo.LeadIdList` TVP. Scores go back through a `dbo.LeadScoreRow` TVP MERGE and snapshots through a
 * `dbo.LeadSnapshotRow` TVP MERGE, in batches below the lock-escalation threshold, each batch its own transaction,
 * retried on transient errors with capped, jittered backoff on a fresh pooled connection.
 */
export class MssqlLeadStore implements LeadStore {
  readonly kind = 'mssql' as const;

  private constructor(
    private readonly pool: sql.ConnectionPool,
    private readonly cfg: MssqlConfig,
    private readonly retry: RetryPolicy,
    /** The lease the job heartbeats within; a `running` row older than it at a run's start is abandoned. */
    private readonly leaseMs: number = DEFAULT_RUN_LOCK_LEASE_MS,
  ) {}

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

  private async attempt<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(fn, this.retry);
    } catch (e) {
      throw toStoreError(what, e);
    }
  }

  /**
   * The run lock is an exclusive sp_getapplock owned by the session of a dedicated single connection: it lives as
   * long as that session, so a run killed with its process releases it when SQL Server drops the session (no expiry
   * to wait for). The lease here is the heartbeat's: `renew` checks that the session still holds the lock
   * (APPLOCK_MODE) and rejects with RunLockLostError when it does not (its connection dropped and was replaced).
   */
  async acquireRunLock(): Promise<RunLock> {
    const lockPool = new sql.ConnectionPool(
      mssqlPoolConfig(this.cfg, { max: LOCK_CONNECTIONS, idleTimeoutMillis: 24 * 3_600_000 }),
    );
    try {
      await lockPool.connect();
      const r = await lockPool.request().query<{ result: number }>(Q.ACQUIRE_LOCK);
      const result = r.recordset[0]?.result ?? -999;
      if (result < 0) {
        const holder = await this.pool.request().query<{ RunId: number; StartedAt: Date }>(Q.LOCK_HOLDER);
        const h = holder.recordset[0];
        throw new RunLockedError(h?.StartedAt ?? null, h?.RunId ?? null, null);
      }
    } catch (e) {
      await lockPool.close().catch(() => undefined);
      throw toStoreError('take the run lock', e);
    }
    let released = false;
    return {
      leaseMs: this.leaseMs,
      renew: async () => {
        if (released) throw new RunLockLostError('The run lock was released by this run');
        const r = await lockPool
          .request()
          .query<{ mode: string }>(Q.LOCK_MODE)
          .catch((e: unknown) => {
            throw toStoreError('check the run lock', e);
          });
        if (r.recordset[0]?.mode !== 'Exclusive') {
          throw new RunLockLostError(
            'The run lock was lost (its database session ended, so SQL Server released it); stopping this run',
          );
        }
      },
      release: async () => {
        if (released) return;
        released = true;
        try {
          await lockPool.request().query(Q.RELEASE_LOCK);
        } catch {
          // closing the connection below releases a session lock anyway
        } finally {
          await lockPool.close().catch(() => undefined);
        }
      },
    };
  }

  /** START_RUN: abandon stale rows, insert unless the key exists, read the id back by key (retry-safe). */
  startRun(run: RunStart): Promise<number> {
    return this.attempt('record the run start', async () => {
      const r = await this.pool
        .request()
        .input('runKey', sql.UniqueIdentifier, run.runKey)
        .input('trigger', sql.VarChar(10), run.trigger)
        .input('startedAt', sql.DateTime2(3), new Date(run.startedAt))
        .input('requestedLeads', sql.Int, run.requestedLeads)
        .input('staleBefore', sql.DateTime2(3), new Date(run.startedAt - this.leaseMs))
        .input('abandonedCode', sql.VarChar(40), RUN_ABANDONED)
        .input('abandonedMessage', sql.NVarChar(2000), abandonedRunMessage(run.startedAt, this.leaseMs))
        .query<{ RunId: number }>(Q.START_RUN);
      return r.recordset[0]!.RunId;
    });
  }

  async finishRun(runId: number, f: RunFinish): Promise<void> {
    await this.attempt('record the run outcome', () =>
      this.pool
        .request()
        .input('runId', sql.Int, runId)
        .input('status', sql.VarChar(10), f.status)
        .input('finishedAt', sql.DateTime2(3), new Date(f.finishedAt))
        .input('leadsRead', sql.Int, f.leadsRead)
        .input('leadsScored', sql.Int, f.leadsScored)
        .input('leadsSkipped', sql.Int, f.leadsSkipped)
        .input('rowsChanged', sql.Int, f.rowsChanged)
        .input('snapshotsWritten', sql.Int, f.snapshotsWritten)
        .input('durationMs', sql.Int, Math.round(f.durationMs))
        .input('errorCode', sql.VarChar(40), f.errorCode ?? null)
        .input('errorMessage', sql.NVarChar(2000), f.errorMessage?.slice(0, 2000) ?? null)
        .input(
          'summaryJson',
          sql.NVarChar(sql.MAX),
          f.summary === undefined ? null : JSON.stringify(f.summary),
        )
        .query(Q.FINISH_RUN),
    );
  }

  readScoringInput(options: ReadScoringInputOptions): AsyncIterable<FeatureChunk> {
    return this.readKeyset(
      'read the scoring input view',
      options.leadIds ? Q.READ_CHUNK_SUBSET : Q.READ_CHUNK,
      options,
    );
  }

  readTrainingInput(options: { chunkSize: number }): AsyncIterable<FeatureChunk> {
    return this.readKeyset('read the training view', Q.READ_TRAINING_CHUNK, options);
  }

  private async *readKeyset(
    what: string,
    statement: string,
    options: { chunkSize: number; leadIds?: readonly number[]; asOf?: number },
  ): AsyncIterable<FeatureChunk> {
    let after = 0;
    for (;;) {
      const { chunk, rows, lastId } = await this.attempt(what, () =>
        this.readChunk(statement, after, options),
      );
      if (chunk.features.leadId.length > 0 || chunk.issues.skippedRows > 0) yield chunk;
      if (rows < options.chunkSize || lastId <= after) return;
      after = lastId;
    }
  }

  /** One keyset chunk, streamed row by row (array row mode) into a FeatureChunkBuilder. */
  private readChunk(
    statement: string,
    after: number,
    options: { chunkSize: number; leadIds?: readonly number[]; asOf?: number },
  ): Promise<{ chunk: FeatureChunk; rows: number; lastId: number }> {
    return new Promise((resolve, reject) => {
      const request = this.pool.request();
      request.stream = true;
      request.arrayRowMode = true;
      request.input('chunk', sql.Int, options.chunkSize).input('after', sql.Int, after);
      if (options.asOf !== undefined) request.input('asOf', sql.DateTime2(3), new Date(options.asOf));
      if (options.leadIds) request.input('ids', leadIdListTvp(options.leadIds));
      let builder: FeatureChunkBuilder | undefined;
      let idColumn = -1;
      let rows = 0;
      let lastId = after;
      request.on('recordset', (columns: unknown) => {
        const names = Array.isArray(columns)
          ? (columns as { name: string }[]).map((c) => c.name)
          : Object.values(columns as Record<string, { name: string; index: number }>)
              .sort((a, b) => a.index - b.index)
              .map((c) => c.name);
        idColumn = names.findIndex((n) => n.toLowerCase() === 'leadid');
        builder = new FeatureChunkBuilder(names, options.chunkSize);
      });
      request.on('row', (row: unknown[]) => {
        rows++;
        const id = row[idColumn];
        if (typeof id === 'number' && id > lastId) lastId = id;
        builder!.add(row);
      });
      request.on('error', (e: unknown) => reject(e as Error));
      request.on('done', () => {
        const chunk = builder ? builder.finish() : new FeatureChunkBuilder(['LeadId'], 0).finish();
        resolve({ chunk, rows, lastId });
      });
      void request.query(statement);
    });
  }

  /** Per batch one request: MERGE, optional touch and counts in one transaction (statements.ts). */
  async writeScores(chunk: ScoreWriteChunk): Promise<ScoreWriteResult> {
    const n = chunk.scores.leadId.length;
    const statement = chunk.touchUnchanged ? Q.WRITE_SCORES_EVERY_RUN : Q.WRITE_SCORES_ON_CHANGE;
    let changed = 0;
    let present = 0;
    for (let start = 0; start < n; start += this.cfg.writeBatch) {
      const end = Math.min(n, start + this.cfg.writeBatch);
      const r = await this.attempt('write scores', async () => {
        const res = await this.pool
          .request()
          .input('rows', scoreRowsTvp(chunk, start, end))
          .input('scoredAt', sql.DateTime2(3), new Date(chunk.scoredAt))
          .query<{ changed: number; present: number }>(statement);
        const row = res.recordset[0];
        return { changed: row?.changed ?? 0, present: row?.present ?? 0 };
      });
      changed += r.changed;
      present += r.present;
    }
    return { changed, unchanged: present - changed, missing: n - present };
  }

  async writeSnapshots(c: SnapshotChunk): Promise<number> {
    const n = c.leadId.length;
    for (let start = 0; start < n; start += this.cfg.writeBatch) {
      const end = Math.min(n, start + this.cfg.writeBatch);
      await this.attempt('write snapshots', () =>
        this.pool
          .request()
          .input('rows', snapshotRowsTvp(c, start, end))
          .input('day', sql.Date, dayDate(c.day))
          .input('writtenAt', sql.DateTime2(3), new Date(c.writtenAt))
          .query(Q.MERGE_SNAPSHOTS),
      );
    }
    return n;
  }

  saveModel(r: ModelRecord): Promise<number> {
    return this.attempt('save a model', async () => {
      const auc = r.model?.metrics.holdout.auc;
      const res = await this.pool
        .request()
        .input('version', sql.NVarChar(40), r.model?.version ?? new Date(r.trainedAt).toISOString())
        .input('trainedAt', sql.DateTime2(3), new Date(r.trainedAt))
        .input('windowFrom', sql.DateTime2(3), r.model ? new Date(r.model.window.from) : null)
        .input('windowTo', sql.DateTime2(3), r.model ? new Date(r.model.window.to) : null)
        .input('published', sql.Bit, r.published)
        .input('won', sql.Int, r.won)
        .input('lost', sql.Int, r.lost)
        .input('holdoutAuc', sql.Float, auc !== undefined && Number.isFinite(auc) ? auc : null)
        .input(
          'featureList',
          sql.NVarChar(sql.MAX),
          r.model ? JSON.stringify(r.model.spec.columns.map((c) => c.name)) : null,
        )
        .input('modelJson', sql.NVarChar(sql.MAX), r.model ? JSON.stringify(r.model) : null)
        .input('note', sql.NVarChar(1000), r.note?.slice(0, 1000) ?? null)
        .query<{ ModelId: number }>(Q.INSERT_MODEL);
      return res.recordset[0]!.ModelId;
    });
  }

  latestPublishedModel(): Promise<ConversionModel | null> {
    return this.attempt('read the published model', async () => {
      const r = await this.pool.request().query<{ ModelJson: string }>(Q.LATEST_PUBLISHED_MODEL);
      return r.recordset[0] ? (JSON.parse(r.recordset[0].ModelJson) as ConversionModel) : null;
    });
  }

  lastModelAttempt(): Promise<{ trainedAt: number; note: string | null } | null> {
    return this.attempt('read the last training attempt', async () => {
      const r = await this.pool
        .request()
        .query<{ TrainedAt: Date; Note: string | null }>(Q.LAST_MODEL_ATTEMPT);
      const row = r.recordset[0];
      return row ? { trainedAt: row.TrainedAt.getTime(), note: row.Note } : null;
    });
  }

  /** Deletes snapshot rows older than `beforeDay` in batches of 2,000 (short transactions, no lock escalation). */
  async purgeSnapshots(beforeDay: string): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.attempt('purge old snapshots', async () => {
        const r = await this.pool
          .request()
          .input('batch', sql.Int, PURGE_BATCH)
          .input('cutoff', sql.Date, dayDate(beforeDay))
          .query<{ deleted: number }>(Q.PURGE_SNAPSHOTS);
        return r.recordset[0]?.deleted ?? 0;
      });
      total += deleted;
      if (deleted < PURGE_BATCH) return total;
    }
  }

  async queryLeads(q: LeadQuery): Promise<LeadPage> {
    const sort = SORTS[q.sort];
    const shape: Q.LeadsStatementShape = {
      churnRisk: q.churnRisk?.length ?? 0,
      followUpStatus: q.followUpStatus?.length ?? 0,
      status: q.status?.length ?? 0,
      minPriority: q.minPriority !== undefined,
      maxHealth: q.maxHealth !== undefined,
      updatedSince: q.updatedSince !== undefined,
      after: q.after !== undefined,
      ...sort,
    };
    return this.attempt('query leads', async () => {
      const r = this.pool.request().input('limit', sql.Int, q.limit + 1);
      q.churnRisk?.forEach((v, i) => r.input(`churn${i}`, sql.VarChar(10), v));
      q.followUpStatus?.forEach((v, i) => r.input(`fus${i}`, sql.VarChar(10), v));
      q.status?.forEach((v, i) => r.input(`status${i}`, sql.NVarChar(50), v));
      if (q.minPriority !== undefined) r.input('minPriority', sql.Int, q.minPriority);
      if (q.maxHealth !== undefined) r.input('maxHealth', sql.Int, q.maxHealth);
      if (q.updatedSince !== undefined) r.input('updatedSince', sql.DateTime2(3), new Date(q.updatedSince));
      if (q.after) r.input('afterValue', sql.Float, q.after.value).input('afterId', sql.Int, q.after.leadId);
      const result = await r.query(Q.queryLeadsStatement(shape));
      const sets = result.recordsets as unknown as [Record<string, number | null>[], LeadRow[]];
      const rows = sets[1];
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const last = page[page.length - 1];
      return {
        leads: page.map(toLeadRecord),
        next: more && last ? { sort: q.sort, value: last[sort.sortColumn], leadId: last.LeadId } : null,
        aggregates: toLeadAggregates(sets[0][0] ?? {}),
      };
    });
  }

  listRuns(limit: number): Promise<RunRecord[]> {
    return this.attempt('list runs', async () => {
      const r = await this.pool.request().input('limit', sql.Int, limit).query<RunRow>(Q.LIST_RUNS);
      return r.recordset.map(toRunRecord);
    });
  }

  getRun(runId: number): Promise<RunRecord | null> {
    return this.attempt('read a run', async () => {
      const r = await this.pool.request().input('runId', sql.Int, runId).query<RunRow>(Q.GET_RUN);
      return r.recordset[0] ? toRunRecord(r.recordset[0]) : null;
    });
  }

  /** The pool, for the migration runner and the integration tests. */
  get connectionPool(): sql.ConnectionPool {
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
