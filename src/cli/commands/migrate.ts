import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { loadConfig, type AppConfig } from '../../config/loadConfig';
import { InputError, isLeadIntelError, StoreError } from '../../errors';
import { loadCrmMapping } from '../../mapping';
import { migrateSqlite, type MigrationOptions, type MigrationResult } from '../../store/sqlite/migrateSqlite';
import { SqliteLeadStore } from '../../store/sqlite/sqliteLeadStore';
import { verifySqlite } from '../../store/sqlite/verifySqlite';
import { EXIT } from '../exitCodes';
import { migrationVersion } from '../options';
import { out } from '../output';
import { printMigration } from '../printMigration';

interface MigrateOptions {
  target?: string;
  mapping?: string;
  withBaseline?: boolean;
  dryRun?: boolean;
  print?: boolean;
  verify?: boolean;
  rollback?: string;
}

interface Verification {
  scoreColumns: number;
  snapshotTables: number;
  brokenOwnership?: readonly string[];
}

interface Migrated {
  result: MigrationResult;
  verify?: Verification;
  grants: number;
}

export function migrateCommand(program: Command): Command {
  return program
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
      migrationVersion,
    )
    .action(async (o: MigrateOptions) => {
      const config = loadConfig(process.env);
      const mapping = loadCrmMapping(o.mapping ?? config.mappingPath);
      const options = { mapping, withBaseline: o.withBaseline, dryRun: o.dryRun, rollback: o.rollback };
      const target = o.target ?? config.store.kind;
      let migrated: Migrated;
      if (target === 'mssql') migrated = await migrateAzureSql(config, options, o.verify);
      else if (target === 'sqlite') migrated = await migrateEmbedded(config.sqlitePath, options, o.verify);
      else throw new InputError(`Unknown --target "${target}": use "sqlite" or "mssql"`);
      printMigration(
        migrated.result,
        { dryRun: o.dryRun ?? false, print: o.print ?? false, grants: migrated.grants },
        out,
      );
      if (migrated.verify) printVerification(migrated.verify);
    });
}

async function migrateAzureSql(
  config: AppConfig,
  options: MigrationOptions,
  verify?: boolean,
): Promise<Migrated> {
  if (config.store.kind !== 'mssql')
    throw new InputError('--target mssql needs LEAD_INTEL_STORE=mssql and its MSSQL_* settings');
  // loaded only here: the Azure SQL driver is most of the CLI's start-up time, and no other command needs it
  const { migrateMssql } = await import('../../store/mssql/migrateMssql');
  const r = await migrateMssql(config.store, { ...options, verify, log: out });
  return { result: r, verify: r.verify, grants: r.grants };
}

/**
 * A database file that does not exist yet is only created by a real run with the baseline: otherwise the plan (or
 * the refusal) is worked out on an empty in-memory database, and no empty file is left behind. A dry run on an
 * existing file opens it read-only.
 */
async function migrateEmbedded(
  sqlitePath: string,
  options: MigrationOptions,
  verify?: boolean,
): Promise<Migrated> {
  const exists = existsSync(sqlitePath);
  const path = !exists && (options.dryRun || !options.withBaseline) ? ':memory:' : sqlitePath;
  const store = SqliteLeadStore.open(path, {
    skipSchemaCheck: true,
    readonly: exists && options.dryRun === true,
  });
  try {
    const result = migrateSqlite(store.connection, options);
    return {
      result,
      verify: verify && !options.dryRun ? verifySqlite(store.connection) : undefined,
      grants: 0,
    };
  } catch (e) {
    if (isLeadIntelError(e)) throw e;
    // not a refusal of ours: the file itself could not be read (not a database, permissions, I/O)
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `Cannot migrate the embedded database ${path}: ${(e as Error).message}`,
      e,
    );
  } finally {
    await store.close();
  }
}

function printVerification(v: Verification): void {
  out(`Score columns: ${v.scoreColumns} (expect 9); snapshot tables: ${v.snapshotTables} (expect 1)`);
  const broken = v.brokenOwnership ?? [];
  if (broken.length)
    out(
      `Ownership chain broken: ${broken.join(', ')} — the app's role has rights on the dbo views only; give these objects the views' owner (docs/azure-sql.md)`,
    );
  if (v.scoreColumns !== 9 || v.snapshotTables !== 1 || broken.length) process.exitCode = EXIT.FAILED;
}
