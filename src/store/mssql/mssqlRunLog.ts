import sql from 'mssql';
import type { RunFinish, RunLog, RunRecord, RunStart } from '../leadStore';
import { toRunRecord, type RunRow } from '../rowMappings';
import { abandonedRunMessage, RUN_ABANDONED } from '../runLease';
import type { MssqlContext } from './mssqlContext';
import * as Q from './statements';

/** lead_scoring_runs on Azure SQL. */
export class MssqlRunLog implements RunLog {
  constructor(private readonly ctx: MssqlContext) {}

  /** START_RUN: abandon stale rows, insert unless the key exists, read the id back by key (retry-safe). */
  startRun(run: RunStart): Promise<number> {
    const { pool, leaseMs } = this.ctx;
    return this.ctx.attempt('record the run start', async () => {
      const r = await pool
        .request()
        .input('runKey', sql.UniqueIdentifier, run.runKey)
        .input('trigger', sql.VarChar(10), run.trigger)
        .input('startedAt', sql.DateTime2(3), new Date(run.startedAt))
        .input('requestedLeads', sql.Int, run.requestedLeads)
        .input('staleBefore', sql.DateTime2(3), new Date(run.startedAt - leaseMs))
        .input('abandonedCode', sql.VarChar(40), RUN_ABANDONED)
        .input('abandonedMessage', sql.NVarChar(2000), abandonedRunMessage(run.startedAt, leaseMs))
        .query<{ RunId: number }>(Q.START_RUN);
      return r.recordset[0]!.RunId;
    });
  }

  async finishRun(runId: number, f: RunFinish): Promise<void> {
    await this.ctx.attempt('record the run outcome', () =>
      this.ctx.pool
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

  listRuns(limit: number): Promise<RunRecord[]> {
    return this.ctx.attempt('list runs', async () => {
      const r = await this.ctx.pool.request().input('limit', sql.Int, limit).query<RunRow>(Q.LIST_RUNS);
      return r.recordset.map(toRunRecord);
    });
  }

  getRun(runId: number): Promise<RunRecord | null> {
    return this.ctx.attempt('read a run', async () => {
      const r = await this.ctx.pool.request().input('runId', sql.Int, runId).query<RunRow>(Q.GET_RUN);
      return r.recordset[0] ? toRunRecord(r.recordset[0]) : null;
    });
  }
}
