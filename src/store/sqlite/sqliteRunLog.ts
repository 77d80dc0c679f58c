import type Database from 'better-sqlite3';
import type { RunFinish, RunLog, RunRecord, RunStart } from '../leadStore';
import { toRunRecord, type RunRow } from '../rowMappings';
import { abandonedRunMessage, RUN_ABANDONED } from '../runLease';
import { attempt } from './sqliteErrors';

/** lead_scoring_runs on the embedded store. */
export class SqliteRunLog implements RunLog {
  constructor(
    private readonly db: Database.Database,
    private readonly clock: () => number,
    private readonly leaseMs: number,
  ) {}

  /** One transaction: close the stale `running` rows as abandoned, insert this run's row unless its key exists. */
  startRun(run: RunStart): Promise<number> {
    return attempt('record the run start', () =>
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
    return attempt('record the run outcome', () => {
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
}
