import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { loadConfig, type AppConfig } from '../../config/loadConfig';
import { InputError } from '../../errors';
import { backtest, loadTrainingInput, readCsvTraining, type BacktestReport } from '../../job';
import { SqliteLeadStore } from '../../store/sqlite/sqliteLeadStore';
import { syntheticTruth } from '../../synthetic/syntheticTruth';
import { openCliStore } from '../openCliStore';
import { columnList } from '../options';
import { log, out } from '../output';
import { printBacktest } from '../printBacktest';

interface BacktestOptions {
  csv?: string;
  label?: string;
  exclude?: string[];
  timeColumn?: string;
  json?: boolean;
}

export function backtestCommand(program: Command): Command {
  return program
    .command('backtest')
    .description(
      'Train and evaluate the conversion model on closed leads (the configured store, or a CSV export)',
    )
    .option('--csv <file>', 'a CSV export of closed leads instead of the store')
    .option('--label <column>', 'the CSV column with the outcome (1/0, true/false, won/lost); needs --csv')
    .option(
      '--exclude <columns>',
      'comma-separated CSV columns to leave out (ids, free text); needs --csv',
      columnList,
    )
    .option(
      '--time-column <column>',
      'the CSV column that orders rows in time (the holdout is then the most recent rows by it); needs --csv',
    )
    .option('--json', 'print the report as one JSON line')
    .action(async (o: BacktestOptions) => {
      assertCsvOptions(o);
      const config = loadConfig(process.env);
      const report = o.csv !== undefined ? backtestCsv(o.csv, o, config) : await backtestStore(config);
      if (o.json) out(JSON.stringify(reportJson(report)));
      else printBacktest(report, out);
    });
}

function backtestCsv(file: string, o: BacktestOptions, config: AppConfig): BacktestReport {
  if (!o.label) throw new InputError('--csv needs --label <column>');
  const text = readInputFile(file, 'the CSV');
  const exclude = o.exclude ?? [];
  const header = csvHeader(text);
  const unknown = header ? exclude.filter((c) => !header.includes(c)) : [];
  if (header && unknown.length)
    throw new InputError(
      `--exclude names columns the CSV does not have: ${unknown.join(', ')} (columns: ${header.join(', ')})`,
    );
  const { input, skipped } = readCsvTraining(text, o.label, exclude, o.timeColumn);
  if (skipped) log.warn(`Skipped ${skipped} rows whose label is not 1/0, true/false, yes/no or won/lost`);
  const timeOrder =
    o.timeColumn !== undefined
      ? `the "${o.timeColumn}" column`
      : 'row order (no --time-column: rows are taken as time-ordered, the holdout is the last 20 % of rows)';
  if (o.timeColumn === undefined)
    log.warn('No --time-column: row order is taken as time (the holdout is the last 20 % of rows)');
  return backtest(input, {
    now: Date.now(),
    minWon: config.model.minWon,
    minLost: config.model.minLost,
    kFold: true,
    timeOrder,
  });
}

async function backtestStore(config: AppConfig): Promise<BacktestReport> {
  const store = await openCliStore(config, 'read');
  try {
    const { input } = await loadTrainingInput(store);
    const truth = store instanceof SqliteLeadStore ? syntheticTruth(store) : undefined;
    return backtest(input, {
      now: Date.now(),
      minWon: config.model.minWon,
      minLost: config.model.minLost,
      trueProbability: truth,
    });
  } finally {
    await store.close();
  }
}

/** `--label`, `--exclude` and `--time-column` describe a CSV: without `--csv` they would be silently ignored. */
function assertCsvOptions(o: BacktestOptions): void {
  const orphans = (['label', 'exclude', 'timeColumn'] as const)
    .filter((k) => o[k] !== undefined)
    .map((k) => (k === 'timeColumn' ? '--time-column' : `--${k}`));
  if (o.csv === undefined && orphans.length)
    throw new InputError(
      `${orphans.join(' and ')} ${orphans.length > 1 ? 'apply' : 'applies'} only with --csv <file>`,
    );
}

/** A file the user named, read whole; a missing or unreadable one is INPUT_INVALID (exit 5) in one line. */
function readInputFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (e as Error).message;
    throw new InputError(`Cannot read ${what} ${path}: ${why}`, { path, code });
  }
}

/** The CSV's column names as readCsvTraining sees them (trimmed, BOM dropped); undefined when it cannot be parsed. */
function csvHeader(text: string): string[] | undefined {
  try {
    const rows = parse(text, { to_line: 1, bom: true, trim: true, relax_column_count: true });
    return rows[0] ?? [];
  } catch {
    return undefined; // readCsvTraining reports the parse error with its line
  }
}

function reportJson(report: BacktestReport): unknown {
  return {
    ...report,
    model: report.model
      ? {
          version: report.model.version,
          metrics: report.model.metrics,
          counts: report.model.counts,
          notes: report.model.spec.notes,
        }
      : null,
  };
}
