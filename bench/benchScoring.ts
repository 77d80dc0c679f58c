import { Command, InvalidArgumentError } from 'commander';
import { cpus } from 'node:os';
import {
  DEFAULT_SCORING_CONFIG,
  priorityParams,
  renderRecommendationsJson,
  scoreLeads,
  sliceLeadFeatures,
  sliceLeadScores,
} from '../src/scoring';
import { syntheticFeatures } from '../src/synthetic/syntheticFeatures';
import { fmt, median, peakRssMb, printTable } from './benchUtil';

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
  return n;
};

const opts = new Command('bench:scoring')
  .description('Throughput of the pure scoring core on synthetic in-memory leads')
  .option('--leads <n>', 'number of leads', positiveInt, 1_000_000)
  .option('--runs <n>', 'timed runs (median reported)', positiveInt, 7)
  .option('--json', 'print one JSON line last')
  .parse()
  .opts<{ leads: number; runs: number; json?: boolean }>();

const now = Date.UTC(2025, 9, 14, 9, 30);
const CHUNK = 5_000;
const batch = syntheticFeatures(opts.leads, now);
const config = DEFAULT_SCORING_CONFIG;
const pp = priorityParams(config);
const out = scoreLeads(batch, now, config); // warm-up and output allocation

const numeric: number[] = [];
const full: number[] = [];
let sink = 0;
for (let r = 0; r < opts.runs; r++) {
  let t = process.hrtime.bigint();
  scoreLeads(batch, now, config, { out });
  numeric.push(Number(process.hrtime.bigint() - t) / 1e9);
  t = process.hrtime.bigint();
  scoreLeads(batch, now, config, { out });
  // Rendered per write chunk, as the job does, so the strings of one chunk are garbage by the next.
  for (let start = 0; start < opts.leads; start += CHUNK) {
    const end = Math.min(start + CHUNK, opts.leads);
    sink += renderRecommendationsJson(
      sliceLeadFeatures(batch, start, end),
      sliceLeadScores(out, start, end),
      config,
      pp,
    ).length;
  }
  full.push(Number(process.hrtime.bigint() - t) / 1e9);
}
if (sink !== opts.leads * opts.runs) throw new Error('benchmark lost rows');

const numericLeadsPerSec = Math.round(opts.leads / median(numeric));
const fullLeadsPerSec = Math.round(opts.leads / median(full));
const rss = peakRssMb();
printTable([
  ['leads', fmt(opts.leads)],
  ['cores', String(cpus().length)],
  ['runs', String(opts.runs)],
  ['numeric metrics (median s)', median(numeric).toFixed(3)],
  ['numeric leads/s', fmt(numericLeadsPerSec)],
  ['with recommendation JSON (median s)', median(full).toFixed(3)],
  ['with JSON leads/s', fmt(fullLeadsPerSec)],
  ['peak RSS (MB)', String(rss)],
]);
if (opts.json) {
  console.log(
    JSON.stringify({
      bench: 'scoring',
      leads: opts.leads,
      numericLeadsPerSec,
      fullLeadsPerSec,
      peakRssMb: rss,
    }),
  );
}
