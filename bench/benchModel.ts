import { Command, InvalidArgumentError } from 'commander';
import { cpus } from 'node:os';
import { allocateLeadFeatures, MS_PER_DAY, trainConversionModel, type TrainingInput } from '../src/scoring';
import { Prng } from '../src/synthetic/prng';
import { fmt, median, peakRssMb, printTable } from './benchUtil';

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
  return n;
};

const opts = new Command('bench:model')
  .description('Training time of the conversion model on N synthetic closed leads with ~50 feature columns')
  .option('--leads <n>', 'closed leads', positiveInt, 100_000)
  .option('--runs <n>', 'timed runs (median reported)', positiveInt, 3)
  .option('--json', 'print one JSON line last')
  .parse()
  .opts<{ leads: number; runs: number; json?: boolean }>();

/**
 * Closed leads with the core's columns plus 20 numeric and 2 categorical extras (~50 input columns), two of the
 * extras with non-linear effects (a threshold, a saturation), so the cross-validation has bins worth choosing.
 */
function data(n: number): TrainingInput {
  const r = new Prng(7);
  const f = allocateLeadFeatures(n);
  const asOf = new Float64Array(n);
  const label = new Uint8Array(n);
  const numeric = Array.from({ length: 20 }, () => new Float64Array(n));
  const region: (string | null)[] = [];
  const segment: (string | null)[] = [];
  const t0 = Date.UTC(2023, 0, 1);
  for (let i = 0; i < n; i++) {
    f.leadId[i] = i + 1;
    asOf[i] = t0 + i * 60_000;
    f.source[i] = r.int(0, 9);
    f.createdAt[i] = asOf[i]! - r.int(5, 300) * MS_PER_DAY;
    f.lastContactAt[i] = r.next() < 0.9 ? asOf[i]! - r.int(0, 90) * MS_PER_DAY : NaN;
    f.completedFollowUps[i] = r.int(0, 12);
    f.completedFollowUps30d[i] = r.int(0, 4);
    f.visits[i] = r.int(0, 8);
    f.visits30d[i] = r.int(0, 3);
    f.pendingFollowUps[i] = r.int(0, 3);
    f.estimatedValue[i] = r.next() < 0.8 ? Math.exp(8 + 2 * r.next()) : NaN;
    let z = -0.5 + 0.3 * Math.log1p(f.completedFollowUps[i]!) + 0.2 * Math.log1p(f.visits30d[i]!);
    for (let k = 0; k < 20; k++) {
      const v = r.next() < 0.05 ? NaN : r.normal();
      numeric[k]![i] = v;
      if (k < 5 && v === v) z += 0.2 * v;
      if (k === 5 && v === v) z += v > 0.5 ? 0.6 : 0;
      if (k === 6 && v === v) z += 0.5 * Math.tanh(2 * v);
    }
    region.push(['north', 'south', 'east', 'west', 'central', null][r.int(0, 5)]!);
    segment.push(`s${r.int(0, 9)}`);
    label[i] = r.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const extras: Record<string, Float64Array | (string | null)[]> = { region, segment };
  numeric.forEach((col, k) => (extras[`x${k}`] = col));
  return { features: f, asOf, label, extras };
}

const input = data(opts.leads);
const times: number[] = [];
const cpu: number[] = []; // user + system CPU seconds of this process per training (other processes' load excluded)
let columns = 0;
let auc = NaN;
let chosen = '';
for (let k = 0; k < opts.runs; k++) {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  const result = trainConversionModel(input, { now: Date.now() });
  times.push(Number(process.hrtime.bigint() - t) / 1e9);
  const used = process.cpuUsage(c);
  cpu.push((used.user + used.system) / 1e6);
  if (!('model' in result)) throw new Error(result.insufficient);
  columns = result.model.spec.columns.length;
  auc = result.model.metrics.holdout.auc;
  const sel = result.model.metrics.selection;
  chosen = sel ? `${sel.bins} bins, L2 ${sel.l2} (${sel.folds}-fold on ${fmt(sel.rows)} leads)` : '';
}
const seconds = median(times);
printTable([
  ['closed leads', fmt(opts.leads)],
  ['encoded columns', String(columns)],
  ['cores', String(cpus().length)],
  ['chosen by cross-validation', chosen],
  ['cross-validate + train + calibrate + evaluate (median s)', seconds.toFixed(2)],
  ['the same, CPU time of this process (median s)', median(cpu).toFixed(2)],
  ['holdout AUC', auc.toFixed(3)],
  ['peak RSS (MB)', String(peakRssMb())],
]);
if (opts.json)
  console.log(
    JSON.stringify({
      bench: 'model',
      leads: opts.leads,
      columns,
      chosen,
      seconds,
      cpuSeconds: median(cpu),
      holdoutAuc: auc,
      peakRssMb: peakRssMb(),
    }),
  );
