import type Database from 'better-sqlite3';
import { quoteIdentifier } from '../../mapping';
import { CHURN_RISKS, FOLLOW_UP_STATUSES } from '../../scoring';
import type { ScoreWriteChunk, ScoreWriter, ScoreWriteResult, SnapshotChunk } from '../leadStore';
import { attempt } from './sqliteErrors';

interface ScoreStatements {
  readonly update: Database.Statement;
  /** ScoresLastUpdated of a set of keys (a JSON array), one statement per chunk. */
  readonly touch: Database.Statement;
  /** The current nine values of the keys in [first, last] (a chunk of the ordered scoring input). */
  readonly currentInRange: Database.Statement;
  /** The same for a set of keys (a JSON array): a sparse chunk, e.g. a subset rerun. */
  readonly currentInSet: Database.Statement;
}

/** A lead row's current score values, in the UPDATE's column order: key, then the nine values. */
type CurrentRow = [number, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown];

/** Score columns, daily snapshots and their retention on the embedded store (the writer connection). */
export class SqliteScoreWriter implements ScoreWriter {
  private scoreStatements: ScoreStatements | undefined;

  constructor(private readonly db: Database.Database) {}

  /**
   * One chunk in one transaction. First one read of the chunk's current values (a key range, or the keys themselves
   * when the chunk is sparse), compared in memory with the new ones, so a row whose nine values are all the same is
   * never sent an UPDATE. A row that differs gets an UPDATE of the nine columns, still guarded by "any score
   * differs" (`IS NOT`, JSON byte for byte): the database has the last word. Unchanged rows then get one set-based
   * UPDATE of ScoresLastUpdated (every-run, the guide's freshness rule) or nothing (on-change). A key that the read
   * did not find was deleted since the run read it: counted missing, nothing written. Measured on a 200,000-lead
   * file (2 busy cores): the read-and-compare costs about what a guarded UPDATE that changes nothing costs (both read
   * the row, ~10–14 µs); what it saves is a statement per unchanged row (two with every-run).
   */
  writeScores(chunk: ScoreWriteChunk): Promise<ScoreWriteResult> {
    const s = chunk.scores;
    const n = s.leadId.length;
    return attempt('write scores', () => {
      const st = (this.scoreStatements ??= this.prepareScoreStatements());
      let changed = 0;
      let unchanged = 0;
      this.db.transaction(() => {
        const current = this.currentValues(st, s.leadId);
        const same: number[] = [];
        for (let i = 0; i < n; i++) {
          const id = s.leadId[i]!;
          const row = current.get(id);
          if (row === undefined) continue; // deleted since the read: missing
          const h = s.health[i];
          const v = s.velocity[i];
          const p = s.priority[i];
          const c = s.conversion[i];
          const r = CHURN_RISKS[s.churnRisk[i]!];
          const f = FOLLOW_UP_STATUSES[s.followUpStatus[i]!];
          const o = s.overdueDays[i];
          const j = chunk.recommendationJson[i];
          if (
            row[1] === h &&
            row[2] === v &&
            row[3] === p &&
            row[4] === c &&
            row[5] === r &&
            row[6] === f &&
            row[7] === o &&
            row[8] === j
          ) {
            same.push(id);
          } else if (
            st.update.run(h, v, p, c, r, f, o, j, chunk.scoredAt, id, h, v, p, c, r, f, o, j).changes > 0
          ) {
            changed++;
          } else {
            same.push(id); // equal by the database's comparison after all (e.g. an integral REAL)
          }
        }
        unchanged = same.length;
        if (chunk.touchUnchanged && same.length > 0) st.touch.run(chunk.scoredAt, JSON.stringify(same));
      })();
      return { changed, unchanged, missing: n - changed - unchanged };
    });
  }

  /** The chunk's rows as they are now, by key. A range read when the keys are dense (the ordered pass), else by set. */
  private currentValues(st: ScoreStatements, ids: Int32Array): Map<number, CurrentRow> {
    const current = new Map<number, CurrentRow>();
    if (ids.length === 0) return current;
    let lo = ids[0]!;
    let hi = lo;
    for (const id of ids) {
      if (id < lo) lo = id;
      else if (id > hi) hi = id;
    }
    // ordered chunks of the pass span a little more than their own keys (closed leads in between); a subset rerun
    // may name a few keys far apart, which a range read would pay for
    const rows = (
      hi - lo < 4 * ids.length + 1024
        ? st.currentInRange.all(lo, hi)
        : st.currentInSet.all(JSON.stringify(Array.from(ids)))
    ) as CurrentRow[];
    for (const row of rows) current.set(row[0], row);
    return current;
  }

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
    const current = `SELECT ${key}, HealthScore, VelocityScore, AIPriority, ConversionProbability, ChurnRisk,
        FollowUpStatus, OverdueDays, RecommendationJson FROM ${table}`;
    return {
      update: this.db.prepare(
        `UPDATE ${table} SET HealthScore = ?, VelocityScore = ?, AIPriority = ?, ConversionProbability = ?, ChurnRisk = ?,
           FollowUpStatus = ?, OverdueDays = ?, RecommendationJson = ?, ScoresLastUpdated = ?
         WHERE ${key} = ? AND (HealthScore IS NOT ? OR VelocityScore IS NOT ? OR AIPriority IS NOT ?
           OR ConversionProbability IS NOT ? OR ChurnRisk IS NOT ? OR FollowUpStatus IS NOT ? OR OverdueDays IS NOT ?
           OR RecommendationJson IS NOT ?)`,
      ),
      touch: this.db.prepare(
        `UPDATE ${table} SET ScoresLastUpdated = ? WHERE ${key} IN (SELECT value FROM json_each(?))`,
      ),
      currentInRange: this.db.prepare(`${current} WHERE ${key} BETWEEN ? AND ?`).raw(true),
      currentInSet: this.db.prepare(`${current} WHERE ${key} IN (SELECT value FROM json_each(?))`).raw(true),
    };
  }

  writeSnapshots(c: SnapshotChunk): Promise<number> {
    const upsert = this.db.prepare(
      // AIPriority (migration 006, for the trend): the value this run has just written to the lead
      `INSERT INTO lead_velocity_snapshots (LeadId, SnapshotDate, HealthScore, VelocityScore, Activity7d, Activity30d,
         CompletedFollowUps7d, Visits7d, UpdatedAt, AIPriority)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT AIPriority FROM li_leads WHERE LeadId = ?))
       ON CONFLICT (LeadId, SnapshotDate) DO UPDATE SET HealthScore = excluded.HealthScore,
         VelocityScore = excluded.VelocityScore, Activity7d = excluded.Activity7d, Activity30d = excluded.Activity30d,
         CompletedFollowUps7d = excluded.CompletedFollowUps7d, Visits7d = excluded.Visits7d, UpdatedAt = excluded.UpdatedAt,
         AIPriority = excluded.AIPriority`,
    );
    return attempt('write snapshots', () => {
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
            c.leadId[i],
          );
        }
      })();
      return c.leadId.length;
    });
  }

  purgeSnapshots(beforeDay: string): Promise<number> {
    return attempt(
      'purge old snapshots',
      () =>
        this.db.prepare('DELETE FROM lead_velocity_snapshots WHERE SnapshotDate < ?').run(beforeDay).changes,
    );
  }
}
