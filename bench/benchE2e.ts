import { Command, InvalidArgumentError } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScoringJob } from '../src/job';
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
    'One full scoring pass (read, score, write, snapshot) on a fresh embedded database of N synthetic leads',
  )
  .option('--leads <n>', 'active leads to seed', positiveInt, 1_000_000)
  .option('--chunk <n>', 'leads per chunk', positiveInt, 5000)
  .option('--json', 'print one JSON line last')
  .parse()
  .opts<{ leads: number; chunk: number; json?: boolean }>();

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lead-intel-bench-'));
  const now = Date.UTC(2025, 9, 14, 9, 30);
  try {
    const store = SqliteLeadStore.open(join(dir, 'leads.db'), { migrate: { withBaseline: true } });
    const t0 = Date.now();
    const seeded = generateCrm(store.connection, {
      leads: opts.leads,
      closedLeads: 0,
      now,
      seed: 1,
      followUpsPerLead: 5,
      visitsPerLead: 3,
    });
    const seedSeconds = (Date.now() - t0) / 1000;
    store.connection.pragma('wal_checkpoint(TRUNCATE)');
    const rssBefore = peakRssMb();
    const summary = await runScoringJob({
      store,
      now,
      scoring: DEFAULT_SCORING_CONFIG,
      chunkSize: opts.chunk,
      trigger: 'cli',
      log: { info: () => undefined, warn: () => undefined, error: (m) => console.error(m) },
    });
    await store.close();
    const seconds = summary.durationMs / 1000;
    const stages = Object.fromEntries(Object.entries(summary.stagesMs).map(([k, v]) => [k, Math.round(v)]));
    const rss = peakRssMb();
    printTable([
      ['leads', fmt(opts.leads)],
      ['follow-ups / visits', `${fmt(seeded.followUps)} / ${fmt(seeded.visits)}`],
      ['cores', String(cpus().length)],
      ['seed (not timed)', `${seedSeconds.toFixed(1)} s`],
      ['pass', `${seconds.toFixed(2)} s`],
      ['leads/s', fmt(summary.leadsPerSecond)],
      ['µs per lead', ((summary.durationMs * 1000) / opts.leads).toFixed(2)],
      ...Object.entries(stages).map(([k, v]) => [`  ${k} (ms)`, fmt(v)] as [string, string]),
      ['peak RSS before the pass (MB)', String(rssBefore)],
      ['peak RSS (MB)', String(rss)],
    ]);
    if (opts.json) {
      console.log(
        JSON.stringify({
          bench: 'e2e',
          leads: opts.leads,
          seconds,
          leadsPerSec: summary.leadsPerSecond,
          peakRssMb: rss,
          stages,
        }),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
