import type { MssqlConfig } from '../../../src/config/loadConfig';
import { runScoringJob } from '../../../src/job';
import { DEFAULT_SCORING_CONFIG } from '../../../src/scoring';
import type { LeadStore } from '../../../src/store/leadStore';
import { MssqlLeadStore } from '../../../src/store/mssql/mssqlLeadStore';
import { RecordingPool, recordingStore } from '../../../src/store/mssql/recordingPool';
import * as Q from '../../../src/store/mssql/statements';
import { generateCrm } from '../../../src/synthetic/generateCrm';
import { mssqlTestConfig } from '../../helpers/mssqlConfig';
import { tempStore } from '../../helpers/tempStore';

/**
 * What the Azure SQL adapter sends per chunk, counted on a recording double of the mssql pool (no server): the
 * keyset reads and their boundaries, one round trip per score batch and per snapshot batch, and the change counts
 * the server reports. The run lock and the run row are the job's business and are stubbed here.
 */
const NOW = Date.UTC(2025, 9, 14, 9, 30);
const N = 2_300;
const CHUNK = 1_000;

function inputRows(): unknown[][] {
  const t = tempStore();
  try {
    generateCrm(t.store.connection, { leads: N, closedLeads: 0, now: NOW, seed: 2 });
    return t.store.connection
      .prepare('SELECT * FROM v_lead_scoring_input ORDER BY LeadId')
      .raw(true)
      .all() as unknown[][];
  } finally {
    void t.cleanup();
  }
}

const mssqlConfig = (writeBatch: number): MssqlConfig =>
  mssqlTestConfig({ MSSQL_WRITE_BATCH: String(writeBatch) });

const storeOver = (pool: RecordingPool, writeBatch: number): LeadStore =>
  recordingStore(pool, mssqlConfig(writeBatch));

const pass = (store: LeadStore, now = NOW) =>
  runScoringJob({
    store,
    now,
    scoring: DEFAULT_SCORING_CONFIG,
    chunkSize: CHUNK,
    trigger: 'timer',
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });

describe('the Azure SQL adapter on the wire', () => {
  const rows = inputRows();
  const ids = rows.map((r) => r[0] as number);

  it('reads in keyset chunks: each read starts after the last id of the previous one, and stops at a short chunk', async () => {
    const pool = new RecordingPool(rows);
    const s = await pass(storeOver(pool, 1000));
    expect(s.leadsScored).toBe(N);
    const reads = pool.requests.filter((r) => r.statement === Q.READ_CHUNK);
    // 2,300 leads in chunks of 1,000: three reads, the last one short (300 rows) ends the scan
    expect(reads.map((r) => r.parameters.after)).toStrictEqual([0, ids[CHUNK - 1], ids[2 * CHUNK - 1]]);
    expect(reads.every((r) => r.parameters.chunk === CHUNK)).toBe(true);
    expect(reads.every((r) => (r.parameters.asOf as Date).toISOString() === '2025-10-14T23:59:59.999Z')).toBe(
      true,
    );
  });

  it('sends one round trip per score batch and per snapshot batch: 3 per chunk with batches of the chunk size', async () => {
    const pool = new RecordingPool(rows);
    await pass(storeOver(pool, 1000));
    const count = (st: string) => pool.requests.filter((r) => r.statement === st).length;
    expect(count(Q.READ_CHUNK)).toBe(3);
    expect(count(Q.WRITE_SCORES_EVERY_RUN)).toBe(3);
    expect(count(Q.MERGE_SNAPSHOTS)).toBe(3);
    expect(pool.requests).toHaveLength(9);
    // smaller batches: more round trips, never more rows per TVP than the batch
    const small = new RecordingPool(rows);
    await pass(storeOver(small, 400));
    const writes = small.requests.filter((r) => r.statement === Q.WRITE_SCORES_EVERY_RUN);
    // chunks of 1,000, 1,000 and 300 rows, each cut into batches of 400: 400 + 400 + 200 twice, then 300
    expect(writes.map((w) => w.tvpRows)).toStrictEqual([400, 400, 200, 400, 400, 200, 300]);
  });

  it('reads the next chunk ahead: its request goes out before this chunk is written, one read ahead at most', async () => {
    const pool = new RecordingPool(rows);
    await pass(storeOver(pool, 1000));
    const kind = (st: string) =>
      st === Q.READ_CHUNK
        ? 'read'
        : st === Q.WRITE_SCORES_EVERY_RUN
          ? 'write'
          : st === Q.MERGE_SNAPSHOTS
            ? 'snap'
            : st;
    // chunk 1 is being written while chunk 2 streams in, chunk 2 while chunk 3 does; never two reads ahead
    expect(pool.requests.map((r) => kind(r.statement))).toStrictEqual([
      'read',
      'read',
      'write',
      'snap',
      'read',
      'write',
      'snap',
      'write',
      'snap',
    ]);
  });

  it('cancels the read ahead when the consumer stops early, waits for it, and retries nothing after', async () => {
    const pool = new RecordingPool(rows);
    // every read after the first fails as a deadlock victim would (1205, transient: retried while the run goes on)
    let readsAhead = 0;
    const answer = pool.answer.bind(pool);
    pool.answer = (statement, p) => {
      if (statement === Q.READ_CHUNK && Number(p.after) > 0) {
        readsAhead++;
        throw Object.assign(new Error('deadlock victim'), { number: 1205 });
      }
      return answer(statement, p);
    };
    const retries: number[] = [];
    const store = MssqlLeadStore.overPool(pool.asPool(), mssqlConfig(1000), {
      retry: {
        attempts: 5,
        baseMs: 1,
        capMs: 1,
        // the backoff outlasts the consumer's decision to stop
        sleep: () => new Promise((r) => setTimeout(r, 50)),
        onRetry: (n) => retries.push(n),
      },
    });
    for await (const chunk of store.readScoringInput({ asOf: NOW, chunkSize: CHUNK })) {
      expect(chunk.features.leadId.length).toBe(CHUNK);
      break; // the consumer stops (an interrupted run) while chunk 2 is being read ahead
    }
    expect(pool.cancels).toBe(1);
    // the read ahead failed once and was scheduled for a retry; once abandoned, the retry sent nothing
    expect(readsAhead).toBe(1);
    expect(retries).toStrictEqual([1]);
  });

  it('reports unchanged rows on a repeat pass the same day (the server skips them), while every row is still sent', async () => {
    const pool = new RecordingPool(rows);
    const first = await pass(storeOver(pool, 1000));
    const again = await pass(storeOver(pool, 1000), NOW + 3_600_000);
    expect(first.rowsChanged).toBe(N);
    expect(again.rowsChanged).toBe(0);
    expect(again.rowsUnchanged).toBe(N);
  });
});
