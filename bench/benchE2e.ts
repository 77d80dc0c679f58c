import { Command, InvalidArgumentError } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/loadConfig';
import { DEFAULT_MODEL_POLICY, runScoringJob } from '../src/job';
import { RecordingPool, recordingStore, type RecordedRequest } from '../src/store/mssql/recordingPool';
import { DEFAULT_SCORING_CONFIG } from '../src/scoring';
import { SqliteLeadStore } from '../src/store/sqlite/sqliteLeadStore';
import { generateCrm } from '../src/synthetic/generateCrm';
import { fmt, peakRssMb, printTable } from './benchUtil';

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
  return n;
};

const opts = new Command('bench')
  .description(
    'A first scoring pass and then a repeat pass on unchanged data (same day), on a fresh embedded database of N synthetic leads with closed history (the model on)',
  )
  .option('--leads <n>', 'active leads to seed', positiveInt, 200_000)
  .option('--closed <n>', 'closed (won/lost) leads to seed; default 40 % of --leads', positiveInt)
  .option('--chunk <n>', 'leads per chunk', positiveInt, 5000)
  .option('--no-model', 'score with the heuristic (no training)')
  .option('--json', 'print one JSON line last')
  .parse()
  .opts<{ leads: number; closed?: number; chunk: number; model: boolean; json?: boolean }>();

interface PassFigures {
  seconds: number;
  leadsPerSec: number;
  rowsChanged: number;
  rowsTouched: number;
  peakRssMb: number;
  stages: Record<string, number>;
}

async function pass(
  store: SqliteLeadStore,
  now: number,
  scoresLastUpdated: 'every-run' | 'on-change',
): Promise<PassFigures> {
  const summary = await runScoringJob({
    store,
    now,
    scoring: DEFAULT_SCORING_CONFIG,
    chunkSize: opts.chunk,
    trigger: 'cli',
    model: opts.model ? DEFAULT_MODEL_POLICY : undefined,
    scoresLastUpdated,
    log: { info: () => undefined, warn: () => undefined, error: (m) => console.error(m) },
  });
  return {
    seconds: summary.durationMs / 1000,
    leadsPerSec: summary.leadsPerSecond,
    rowsChanged: summary.rowsChanged,
    // rows written without a score change: ScoresLastUpdated only (every-run), none (on-change)
    rowsTouched: scoresLastUpdated === 'every-run' ? summary.rowsUnchanged : 0,
    peakRssMb: peakRssMb(),
    stages: Object.fromEntries(Object.entries(summary.stagesMs).map(([k, v]) => [k, Math.round(v)])),
  };
}

/** What the Azure SQL adapter sends for one pass, counted on the recording double (no server). */
async function wireFigures(rows: unknown[][], now: number) {
  const writeBatch = 1000;
  const cfg = loadConfig({
    LEAD_INTEL_STORE: 'mssql',
    MSSQL_SERVER: 'bench.database.windows.net',
    MSSQL_DATABASE: 'crm',
    MSSQL_WRITE_BATCH: String(writeBatch),
  }).store;
  if (cfg.kind !== 'mssql') throw new Error('expected an mssql configuration');
  const pool = new RecordingPool(rows);
  await runScoringJob({
    store: recordingStore(pool, cfg),
    now,
    scoring: DEFAULT_SCORING_CONFIG,
    chunkSize: opts.chunk,
    trigger: 'cli',
    log: { info: () => undefined, warn: () => undefined, error: (m) => console.error(m) },
  });
  const per1000 = (x: number): number => (x * 1000) / rows.length;
  const sum = (f: (r: RecordedRequest) => number): number => pool.requests.reduce((a, r) => a + f(r), 0);
  return {
    leads: rows.length,
    writeBatch,
    roundTripsPerChunk: pool.requests.length / Math.ceil(rows.length / opts.chunk),
    roundTripsPer1000: per1000(pool.requests.length),
    bytesSentPer1000: Math.round(per1000(sum((r) => r.bytesSent))),
    bytesReceivedPer1000: Math.round(per1000(sum((r) => r.bytesReceived))),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lead-intel-bench-'));
  const now = Date.UTC(2025, 9, 14, 9, 30);
  try {
    const store = SqliteLeadStore.open(join(dir, 'leads.db'), { migrate: { withBaseline: true } });
    const t0 = Date.now();
    const closed = opts.closed ?? Math.round(opts.leads * 0.4);
    const seeded = generateCrm(store.connection, {
      leads: opts.leads,
      closedLeads: closed,
      now,
      seed: 1,
      followUpsPerLead: 5,
      visitsPerLead: 3,
    });
    const seedSeconds = (Date.now() - t0) / 1000;
    store.connection.pragma('wal_checkpoint(TRUNCATE)');
    const wire = await wireFigures(
      store.connection
        .prepare('SELECT * FROM v_lead_scoring_input ORDER BY LeadId LIMIT 20000')
        .raw(true)
        .all() as unknown[][],
      now,
    );
    // first pass (trains the model), then repeat passes minutes later the same day, on unchanged data
    const firstPass = await pass(store, now, 'every-run');
    const repeatPass = await pass(store, now + 10 * 60_000, 'every-run');
    const repeatPassOnChange = await pass(store, now + 20 * 60_000, 'on-change');
    await store.close();
    const row = (label: string, f: (p: PassFigures) => string): [string, string, string, string] => [
      label,
      f(firstPass),
      f(repeatPass),
      f(repeatPassOnChange),
    ];
    printTable([
      ['leads (active / closed)', `${fmt(opts.leads)} / ${fmt(closed)}`, '', ''],
      ['follow-ups / visits', `${fmt(seeded.followUps)} / ${fmt(seeded.visits)}`, '', ''],
      ['cores', String(cpus().length), '', ''],
      ['seed (not timed)', `${seedSeconds.toFixed(1)} s`, '', ''],
      ['', 'first pass', 'repeat (every-run)', 'repeat (on-change)'],
      row('seconds', (p) => p.seconds.toFixed(2)),
      row('leads/s', (p) => fmt(p.leadsPerSec)),
      row('rows changed', (p) => fmt(p.rowsChanged)),
      row('rows touched (ScoresLastUpdated only)', (p) => fmt(p.rowsTouched)),
      ...Object.keys(firstPass.stages).map((k) => row(`  ${k} (ms)`, (p) => fmt(p.stages[k] ?? 0))),
      row('peak RSS so far (MB)', (p) => String(p.peakRssMb)),
    ]);
    printTable([
      [
        `Azure SQL adapter on a recording double (${fmt(wire.leads)} leads, chunk ${fmt(opts.chunk)}, batch ${fmt(wire.writeBatch)})`,
        '',
      ],
      ['round trips per chunk', wire.roundTripsPerChunk.toFixed(2)],
      ['round trips per 1,000 leads', wire.roundTripsPer1000.toFixed(2)],
      ['bytes sent per 1,000 leads (values, lower bound)', fmt(wire.bytesSentPer1000)],
      ['bytes received per 1,000 leads (values, lower bound)', fmt(wire.bytesReceivedPer1000)],
    ]);
    if (opts.json) {
      console.log(
        JSON.stringify({
          bench: 'e2e',
          leads: opts.leads,
          closedLeads: closed,
          model: opts.model,
          cores: cpus().length,
          firstPass,
          repeatPass,
          repeatPassOnChange,
          wire,
        }),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
