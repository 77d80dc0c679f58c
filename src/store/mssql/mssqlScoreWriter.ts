import sql from 'mssql';
import type { ScoreWriteChunk, ScoreWriter, ScoreWriteResult, SnapshotChunk } from '../leadStore';
import { dayDate, type MssqlContext } from './mssqlContext';
import * as Q from './statements';
import { scoreRowsTvp, snapshotRowsTvp } from './tvp';

const PURGE_BATCH = 2000;

/**
 * Scores through a `dbo.LeadScoreRow` TVP MERGE and snapshots through a `dbo.LeadSnapshotRow` TVP MERGE, in batches
 * below the lock-escalation threshold, each batch its own transaction, retried on transient errors.
 */
export class MssqlScoreWriter implements ScoreWriter {
  constructor(private readonly ctx: MssqlContext) {}

  /** Per batch one request: MERGE, optional touch and counts in one transaction (statements.ts). */
  async writeScores(chunk: ScoreWriteChunk): Promise<ScoreWriteResult> {
    const { pool, cfg } = this.ctx;
    const n = chunk.scores.leadId.length;
    const statement = chunk.touchUnchanged ? Q.WRITE_SCORES_EVERY_RUN : Q.WRITE_SCORES_ON_CHANGE;
    let changed = 0;
    let present = 0;
    for (let start = 0; start < n; start += cfg.writeBatch) {
      const end = Math.min(n, start + cfg.writeBatch);
      const r = await this.ctx.attempt('write scores', async () => {
        const res = await pool
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
    const { pool, cfg } = this.ctx;
    const n = c.leadId.length;
    for (let start = 0; start < n; start += cfg.writeBatch) {
      const end = Math.min(n, start + cfg.writeBatch);
      await this.ctx.attempt('write snapshots', () =>
        pool
          .request()
          .input('rows', snapshotRowsTvp(c, start, end))
          .input('day', sql.Date, dayDate(c.day))
          .input('writtenAt', sql.DateTime2(3), new Date(c.writtenAt))
          .query(Q.MERGE_SNAPSHOTS),
      );
    }
    return n;
  }

  /** Deletes snapshot rows older than `beforeDay` in batches of 2,000 (short transactions, no lock escalation). */
  async purgeSnapshots(beforeDay: string): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.ctx.attempt('purge old snapshots', async () => {
        const r = await this.ctx.pool
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
}
