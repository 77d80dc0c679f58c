import type { MssqlConfig } from '../../../src/config/loadConfig';
import { allocateLeadScores } from '../../../src/scoring';
import type { ScoreWriteChunk } from '../../../src/store/leadStore';
import { MssqlLeadStore } from '../../../src/store/mssql/mssqlLeadStore';
import { RecordingPool } from '../../../src/store/mssql/recordingPool';
import * as Q from '../../../src/store/mssql/statements';
import { generateCrm } from '../../../src/synthetic/generateCrm';
import { mssqlTestConfig } from '../../helpers/mssqlConfig';
import { tempStore } from '../../helpers/tempStore';

/**
 * The Azure SQL adapter's keyset read, change detection and write batches, chunk by chunk, against the recording
 * double of the mssql pool (no server): what it would send, and when it stops. Expected ids and boundaries are read
 * off the generated rows (ids ascending), never off the adapter.
 */
const NOW = Date.UTC(2025, 9, 14, 9, 30);

function inputRows(leads: number): unknown[][] {
  const t = tempStore();
  try {
    generateCrm(t.store.connection, { leads, closedLeads: 0, now: NOW, seed: 5 });
    return t.store.connection
      .prepare('SELECT * FROM v_lead_scoring_input ORDER BY LeadId')
      .raw(true)
      .all() as unknown[][];
  } finally {
    void t.cleanup();
  }
}

const mssqlConfig = (): MssqlConfig => mssqlTestConfig();

const ALL = inputRows(25);
const ALL_IDS = ALL.map((r) => r[0] as number);

async function readAll(
  pool: RecordingPool,
  chunkSize: number,
  leadIds?: number[],
): Promise<{ chunks: number[][]; afters: unknown[] }> {
  const store = MssqlLeadStore.overPool(pool.asPool(), mssqlConfig());
  const chunks: number[][] = [];
  for await (const c of store.readScoringInput({ asOf: NOW, chunkSize, ...(leadIds ? { leadIds } : {}) }))
    chunks.push(Array.from(c.features.leadId));
  return { chunks, afters: pool.requests.map((r) => r.parameters.after) };
}

describe('readKeyset on the recording pool', () => {
  it('has 25 generated leads with distinct ascending ids to read', () => {
    expect(ALL_IDS).toHaveLength(25);
    expect(ALL_IDS.every((id, i) => i === 0 || id > ALL_IDS[i - 1]!)).toBe(true);
  });

  it('reads a whole multiple of the chunk size to the end: 20 leads in chunks of 10 take a third, empty read', async () => {
    const pool = new RecordingPool(ALL.slice(0, 20));
    const { chunks, afters } = await readAll(pool, 10);
    // full chunks never end the scan (rows < chunk is the stop), so the read after id #20 finds nothing and stops
    expect(chunks).toStrictEqual([ALL_IDS.slice(0, 10), ALL_IDS.slice(10, 20)]);
    expect(afters).toStrictEqual([0, ALL_IDS[9], ALL_IDS[19]]);
    expect(pool.requests.every((r) => r.statement === Q.READ_CHUNK && r.parameters.chunk === 10)).toBe(true);
  });

  it('stops at the first short chunk: 25 leads in chunks of 10 take three reads, each lead read once', async () => {
    const pool = new RecordingPool(ALL);
    const { chunks, afters } = await readAll(pool, 10);
    expect(chunks).toStrictEqual([ALL_IDS.slice(0, 10), ALL_IDS.slice(10, 20), ALL_IDS.slice(20)]);
    expect(afters).toStrictEqual([0, ALL_IDS[9], ALL_IDS[19]]);
  });

  it('stops when a read makes no progress (a server that ignores @after) instead of reading forever', async () => {
    class IgnoresAfter extends RecordingPool {
      override answer(statement: string, p: Record<string, unknown>) {
        if (this.requests.length > 5) throw new Error('still reading after 5 requests');
        return super.answer(statement, { ...p, after: 0 });
      }
    }
    const pool = new IgnoresAfter(ALL);
    const { chunks, afters } = await readAll(pool, 10);
    // the second read returns the first ten again: its last id is not past @after, so the scan ends there
    expect(afters).toStrictEqual([0, ALL_IDS[9]]);
    expect(chunks).toHaveLength(2);
  });

  it('reads a subset rerun through a TVP of the requested ids, in keyset chunks of them', async () => {
    const wanted = [ALL_IDS[1]!, ALL_IDS[4]!, ALL_IDS[7]!, ALL_IDS[20]!, ALL_IDS[24]!];
    const pool = new RecordingPool(ALL);
    const { chunks, afters } = await readAll(pool, 2, wanted);
    expect(chunks).toStrictEqual([wanted.slice(0, 2), wanted.slice(2, 4), wanted.slice(4)]);
    expect(afters).toStrictEqual([0, wanted[1], wanted[3]]);
    expect(pool.requests.every((r) => r.statement === Q.READ_CHUNK_SUBSET && r.tvpRows === 5)).toBe(true);
  });

  it('asks for leads strictly after the last id read, in both keyset statements', () => {
    // `>=` would read each chunk's last lead again at the start of the next one
    for (const st of [Q.READ_CHUNK, Q.READ_CHUNK_SUBSET]) {
      expect(st).toMatch(/\bWHERE v\.LeadId > @after ORDER BY v\.LeadId;$/);
      expect(st).toMatch(/^SELECT TOP \(@chunk\) v\.\* FROM dbo\.li_scoring_input\(@asOf\) AS v\b/);
    }
  });
});

describe('writeScores on the recording pool', () => {
  const ids = ALL_IDS.slice(0, 5);
  function chunk(json: (i: number) => string, conversion = 12.5): ScoreWriteChunk {
    const scores = allocateLeadScores(Int32Array.from(ids));
    scores.health.fill(60);
    scores.velocity.fill(50);
    scores.priority.fill(40);
    scores.conversion.fill(conversion);
    return {
      scores,
      recommendationJson: ids.map((_, i) => json(i)),
      scoredAt: NOW,
      touchUnchanged: true,
    };
  }
  const json = (text: string) => () => JSON.stringify({ action: text });

  it('sends each write batch as one round trip of at most MSSQL_WRITE_BATCH rows, in id order', async () => {
    const pool = new RecordingPool(ALL);
    // below the setting's minimum of 100, to see the boundaries on five rows
    const store = MssqlLeadStore.overPool(pool.asPool(), { ...mssqlConfig(), writeBatch: 2 });
    await expect(store.writeScores(chunk(json('Call now')))).resolves.toStrictEqual({
      changed: 5,
      unchanged: 0,
      missing: 0,
    });
    // 5 rows in batches of 2: 2 + 2 + 1, each the every-run statement
    expect(pool.requests.map((r) => r.tvpRows)).toStrictEqual([2, 2, 1]);
    expect(pool.requests.every((r) => r.statement === Q.WRITE_SCORES_EVERY_RUN)).toBe(true);
    const sentIds = pool.requests.map((r) =>
      ((r.parameters.rows as { rows: unknown[][] }).rows ?? []).map((row) => row[0]),
    );
    expect(sentIds).toStrictEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
  });

  it('counts rows whose only change is the recommendation JSON, even one in letter case only', async () => {
    const pool = new RecordingPool(ALL);
    const store = MssqlLeadStore.overPool(pool.asPool(), mssqlConfig());
    await store.writeScores(chunk(json('Call now')));
    await expect(store.writeScores(chunk(json('Call now')))).resolves.toStrictEqual({
      changed: 0,
      unchanged: 5,
      missing: 0,
    });
    // two leads get a new text (one differs in case only): 2 changed, 3 unchanged
    const next = (i: number) =>
      JSON.stringify({ action: i === 1 ? 'call now' : i === 3 ? 'Email' : 'Call now' });
    await expect(store.writeScores(chunk(next))).resolves.toStrictEqual({
      changed: 2,
      unchanged: 3,
      missing: 0,
    });
    // a numeric score change alone is seen too
    await expect(store.writeScores(chunk(next, 13))).resolves.toStrictEqual({
      changed: 5,
      unchanged: 0,
      missing: 0,
    });
  });

  it('counts a lead deleted between the read and the write as missing', async () => {
    const pool = new RecordingPool(ALL.slice(1)); // the first lead no longer exists
    const store = MssqlLeadStore.overPool(pool.asPool(), mssqlConfig());
    await expect(store.writeScores(chunk(json('Call now')))).resolves.toStrictEqual({
      changed: 4,
      unchanged: 0,
      missing: 1,
    });
  });

  it("compares every one of the eight score columns and the JSON in the MERGE's change predicate", () => {
    const predicate =
      /WHEN MATCHED AND \(([\s\S]*?)\)\nTHEN UPDATE/.exec(Q.WRITE_SCORES_ON_CHANGE)?.[1] ?? '';
    expect(Q.WRITE_SCORES_EVERY_RUN).toContain(predicate);
    const terms = predicate.split(/\s+OR\s+/).map((t) => t.trim());
    expect(terms).toStrictEqual([
      't.HealthScore IS NULL',
      't.HealthScore <> s.HealthScore',
      't.VelocityScore IS NULL',
      't.VelocityScore <> s.VelocityScore',
      't.AIPriority IS NULL',
      't.AIPriority <> s.AIPriority',
      't.ConversionProbability IS NULL',
      't.ConversionProbability <> s.ConversionProbability',
      't.ChurnRisk IS NULL',
      't.ChurnRisk <> s.ChurnRisk',
      't.FollowUpStatus IS NULL',
      't.FollowUpStatus <> s.FollowUpStatus',
      't.OverdueDays IS NULL',
      't.OverdueDays <> s.OverdueDays',
      't.RecommendationJson IS NULL',
      // binary collation: the database's case-insensitive one would call "Call now" and "call now" equal
      't.RecommendationJson COLLATE Latin1_General_100_BIN2 <> s.RecommendationJson COLLATE Latin1_General_100_BIN2',
    ]);
  });
});
