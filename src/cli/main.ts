#!/usr/bin/env node
import { SingleBar, Presets } from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { Cron } from 'croner';
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig, type AppConfig } from '../config/loadConfig';
import { InputError, isLeadIntelError, RunLockedError } from '../errors';
import {
  backtest,
  loadTrainingInput,
  readCsvTraining,
  runScoringJob,
  type BacktestReport,
  type JobLogger,
  type RunSummary,
} from '../job';
import { syntheticTruth } from '../synthetic/syntheticTruth';
import { printBacktest } from './printBacktest';
import type { LeadStore } from '../store/leadStore';
import { migrateMssql } from '../store/mssql/migrateMssql';
import { openStore as openConfiguredStore } from '../store/openStore';
import { migrateSqlite, type MigrationResult } from '../store/sqlite/migrateSqlite';
import { loadCrmMapping } from '../mapping';
import { printMigration } from './printMigration';
import { SqliteLeadStore } from '../store/sqlite/sqliteLeadStore';
import { topLeadsByPriority, verifySqlite } from '../store/sqlite/verifySqlite';
import { generateCrm } from '../synthetic/generateCrm';
import { EXIT, exitCodeOf } from './exitCodes';
import { printSummary, printTopLeads } from './printSummary';

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const interactive = process.stdout.isTTY === true;

const consoleLog: JobLogger = {
  info: (m) => out(`INFO:     ${m}`),
  warn: (m) => process.stderr.write(`WARNING:  ${m}\n`),
  error: (m) => process.stderr.write(`ERROR:    ${m}\n`),
};

function positiveInt(v: string): number {
  const x = Number(v);
  if (!Number.isInteger(x) || x <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
  return x;
}

function leadIdList(v: string): number[] {
  const ids = v.split(',').map((s) => Number(s.trim()));
  const bad = ids.find((x) => !Number.isInteger(x) || x <= 0);
  if (bad !== undefined) throw new InvalidArgumentError(`lead ids must be positive integers, got "${v}"`);
  return [...new Set(ids)];
}

/** A progress bar on a terminal, nothing otherwise (log lines are enough for pipes and CI). */
function progress(total: number, label: string): { update(n: number): void; stop(): void } {
  if (!interactive || total <= 0) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} leads | {eta_formatted} left`,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (n) => bar.update(Math.min(n, total)), stop: () => bar.stop() };
}

/** The embedded database (demo and seed always use it). */
function openEmbedded(config: AppConfig, migrate: boolean): SqliteLeadStore {
  // the demo and seed write the guide's CRM tables: the baseline (000) is theirs to create
  return SqliteLeadStore.open(config.sqlitePath, { migrate: migrate && { withBaseline: true } });
}

function seed(store: SqliteLeadStore, leads: number, seedValue: number, closed?: number): void {
  const bar = progress(leads + (closed ?? Math.round(leads * 0.4)), 'Seeding');
  const r = generateCrm(store.connection, {
    leads,
    closedLeads: closed,
    now: Date.now(),
    seed: seedValue,
    onProgress: (done) => bar.update(done),
  });
  bar.stop();
  out(
    `Seeded ${r.leads.toLocaleString('en-US')} active and ${r.closedLeads.toLocaleString('en-US')} closed leads, ${r.followUps.toLocaleString('en-US')} follow-ups, ${r.visits.toLocaleString('en-US')} visits`,
  );
}

async function runOnce(
  store: LeadStore,
  config: AppConfig,
  opts: { leadIds?: number[]; dryRun?: boolean },
): Promise<RunSummary> {
  const bar = progress(opts.leadIds?.length ?? 0, 'Scoring');
  try {
    return await runScoringJob({
      store,
      now: Date.now(),
      scoring: config.scoring,
      chunkSize: config.chunkSize,
      trigger: 'cli',
      snapshotRetentionDays: config.snapshotRetentionDays,
      model: config.model,
      leadIds: opts.leadIds,
      dryRun: opts.dryRun,
      log: consoleLog,
      onProgress: (n) => bar.update(n),
    });
  } finally {
    bar.stop();
  }
}

export function buildProgram(): Command {
  const program = new Command('lead-intel')
    .description(
      'Lead Intelligence: scores every active lead of a SQL Server / Azure SQL CRM (embedded SQLite for trying it out)',
    )
    .showHelpAfterError()
    .exitOverride();

  program
    .command('demo')
    .description(
      'Create .data/leads.db if missing, seed 10,000 synthetic leads, run one scoring pass, show the results',
    )
    .option('--leads <n>', 'leads to seed into a new database', positiveInt, 10_000)
    .action(async (o: { leads: number }) => {
      const config = loadConfig(process.env);
      const fresh = !existsSync(config.sqlitePath);
      const store = openEmbedded(config, true);
      try {
        if (fresh) seed(store, o.leads, 20251014);
        else out(`Using the existing ${config.sqlitePath} (delete it for a fresh demo)`);
        const summary = await runOnce(store, config, {});
        printSummary(summary, out);
        printTopLeads(topLeadsByPriority(store.connection, 10), out);
      } finally {
        await store.close();
      }
    });

  program
    .command('seed')
    .description('Seed synthetic leads into the configured embedded database (migrating it first)')
    .option('--leads <n>', 'active leads', positiveInt, 10_000)
    .option('--closed <n>', 'closed (Won/Lost) leads; default 40 % of --leads', positiveInt)
    .option('--seed <n>', 'random seed', positiveInt, 20251014)
    .action(async (o: { leads: number; closed?: number; seed: number }) => {
      const store = openEmbedded(loadConfig(process.env), true);
      try {
        seed(store, o.leads, o.seed, o.closed);
      } finally {
        await store.close();
      }
    });

  program
    .command('run')
    .description('Run one scoring pass against the configured store')
    .option('--lead-ids <ids>', 'comma-separated lead ids to rescore (default: all active leads)', leadIdList)
    .option('--dry-run', 'compute without writing anything')
    .option('--json', 'print the run summary as one JSON line')
    .action(async (o: { leadIds?: number[]; dryRun?: boolean; json?: boolean }) => {
      const config = loadConfig(process.env);
      const store = await openConfiguredStore(config);
      try {
        const summary = await runOnce(store, config, o);
        if (o.json) out(JSON.stringify(summary));
        else printSummary(summary, out);
      } finally {
        await store.close();
      }
    });

  program
    .command('watch')
    .description(
      'Run a scoring pass on the SCORING_SCHEDULE (NCRONTAB, UTC), like the deployed timer, until stopped',
    )
    .action(async () => {
      const config = loadConfig(process.env);
      const store = await openConfiguredStore(config);
      out(`Watching: scoring on "${config.schedule}" (UTC); Ctrl+C to stop`);
      const job = new Cron(config.schedule, { timezone: 'UTC', protect: true }, async () => {
        try {
          await runOnce(store, config, {});
        } catch (e) {
          if (e instanceof RunLockedError) consoleLog.warn(`Skipped this tick: ${e.message}`);
          else consoleLog.error(`Run failed: ${(e as Error).message}`);
        }
        const next = job.nextRun();
        if (next) out(`Next run at ${next.toISOString()}`);
      });
      const first = job.nextRun();
      if (first) out(`Next run at ${first.toISOString()}`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          job.stop();
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await store.close();
    });

  program
    .command('backtest')
    .description(
      'Train and evaluate the conversion model on closed leads (the configured store, or a CSV export)',
    )
    .option('--csv <file>', 'a CSV export of closed leads instead of the store')
    .option('--label <column>', 'the CSV column with the outcome (1/0, true/false, won/lost)')
    .option('--exclude <columns>', 'comma-separated CSV columns to leave out (ids, free text)', (v: string) =>
      v.split(',').map((c) => c.trim()),
    )
    .option('--json', 'print the report as one JSON line')
    .action(async (o: { csv?: string; label?: string; exclude?: string[]; json?: boolean }) => {
      const config = loadConfig(process.env);
      let report: BacktestReport;
      if (o.csv) {
        if (!o.label) throw new InputError('--csv needs --label <column>');
        const { input, skipped } = readCsvTraining(readFileSync(o.csv, 'utf8'), o.label, o.exclude ?? []);
        if (skipped && !o.json)
          out(`Skipped ${skipped} rows whose label is not 1/0, true/false, yes/no or won/lost`);
        report = backtest(input, {
          now: Date.now(),
          minWon: config.model.minWon,
          minLost: config.model.minLost,
          kFold: true,
        });
      } else {
        const store = await openConfiguredStore(config);
        try {
          const { input } = await loadTrainingInput(store);
          const truth = store instanceof SqliteLeadStore ? syntheticTruth(store) : undefined;
          report = backtest(input, {
            now: Date.now(),
            minWon: config.model.minWon,
            minLost: config.model.minLost,
            trueProbability: truth,
          });
        } finally {
          await store.close();
        }
      }
      if (o.json)
        out(
          JSON.stringify({
            ...report,
            model: report.model
              ? {
                  version: report.model.version,
                  metrics: report.model.metrics,
                  counts: report.model.counts,
                  notes: report.model.spec.notes,
                }
              : null,
          }),
        );
      else printBacktest(report, out);
    });

  program
    .command('migrate')
    .description(
      'Apply pending migrations (rendered with the CRM mapping) to the embedded database or to Azure SQL, or roll back the newest one',
    )
    .option('--target <store>', 'sqlite or mssql (default: LEAD_INTEL_STORE)')
    .option('--mapping <file>', "the CRM mapping JSON (default: LEAD_INTEL_MAPPING, else the guide's names)")
    .option('--with-baseline', "also create the guide's CRM tables (development and test databases only)")
    .option('--dry-run', 'print what would run, change nothing')
    .option('--print', 'print the rendered SQL of every script that runs (or would run)')
    .option('--verify', "run the guide's verification queries afterwards (expect 9 and 1)")
    .option(
      '--rollback <version>',
      'undo this migration (only the newest applied one), e.g. 004',
      (v: string) => {
        if (!/^\d{3}$/.test(v))
          throw new InvalidArgumentError(`expected a three-digit version like 004, got "${v}"`);
        return v;
      },
    )
    .action(
      async (o: {
        target?: string;
        mapping?: string;
        withBaseline?: boolean;
        dryRun?: boolean;
        print?: boolean;
        verify?: boolean;
        rollback?: string;
      }) => {
        const config = loadConfig(process.env);
        const mapping = loadCrmMapping(o.mapping ?? config.mappingPath);
        const target = o.target ?? config.store.kind;
        const options = { mapping, withBaseline: o.withBaseline, dryRun: o.dryRun, rollback: o.rollback };
        let result: MigrationResult;
        let verify:
          { scoreColumns: number; snapshotTables: number; brokenOwnership?: readonly string[] } | undefined;
        let grants = 0;
        if (target === 'mssql') {
          if (config.store.kind !== 'mssql') {
            throw new InputError('--target mssql needs LEAD_INTEL_STORE=mssql and its MSSQL_* settings');
          }
          const r = await migrateMssql(config.store, { ...options, verify: o.verify, log: out });
          ({ verify, grants } = r);
          result = r;
        } else if (target === 'sqlite') {
          // a database file that does not exist yet is only created by a real run with the baseline: otherwise the
          // plan (or the refusal) is worked out on an empty in-memory database, and no empty file is left behind
          const path =
            !existsSync(config.sqlitePath) && (o.dryRun || !o.withBaseline) ? ':memory:' : config.sqlitePath;
          const store = SqliteLeadStore.open(path, { skipSchemaCheck: true });
          try {
            result = migrateSqlite(store.connection, options);
            if (o.verify && !o.dryRun) verify = verifySqlite(store.connection);
          } finally {
            await store.close();
          }
        } else {
          throw new InputError(`Unknown --target "${target}": use "sqlite" or "mssql"`);
        }
        printMigration(result, { dryRun: o.dryRun ?? false, print: o.print ?? false, grants }, out);
        if (verify) {
          out(
            `Score columns: ${verify.scoreColumns} (expect 9); snapshot tables: ${verify.snapshotTables} (expect 1)`,
          );
          const broken = verify.brokenOwnership ?? [];
          if (broken.length)
            out(
              `Ownership chain broken: ${broken.join(', ')} — the app's role has rights on the dbo views only; give these objects the views' owner (docs/azure-sql.md)`,
            );
          if (verify.scoreColumns !== 9 || verify.snapshotTables !== 1 || broken.length)
            process.exitCode = EXIT.FAILED;
        }
      },
    );

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0
        ? EXIT.OK
        : EXIT.USAGE;
    }
    if (isLeadIntelError(e)) process.stderr.write(`lead-intel: ${e.code}: ${e.message}\n`);
    else process.stderr.write(`lead-intel: ${(e as Error).stack ?? String(e)}\n`);
    return exitCodeOf(e);
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
