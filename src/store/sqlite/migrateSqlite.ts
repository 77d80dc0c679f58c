import type { Database } from 'better-sqlite3';
import { MigrationError, StoreError } from '../../errors';
import { DEFAULT_MAPPING, quoteTable, splitTable, type CrmMapping } from '../../mapping';
import { crmSchemaProblems, type TableShape } from '../crmSchemaProblems';
import {
  planMigrations,
  planRollback,
  renderMigrations,
  type AppliedMigration,
  type RenderedMigration,
} from '../migrationFiles';
import { holdRunLockForMigration } from './migrationLock';

export interface MigrationOptions {
  /** The CRM mapping the templates are rendered with (default: the guide's names). */
  readonly mapping?: CrmMapping;
  /** Also create the guide's CRM tables (000): development and test databases only. */
  readonly withBaseline?: boolean;
  /** Report what would run; change nothing. */
  readonly dryRun?: boolean;
  /** Undo this version (only the newest applied one) instead of migrating forward. */
  readonly rollback?: string;
  /** The embedded store's clock, for the run lock's lease while migrating (default: the wall clock). */
  readonly clock?: () => number;
}

export interface MigrationResult {
  readonly applied: string[];
  /** Applied before, applied again because the mapping changed their text. */
  readonly rerun: string[];
  readonly skipped: { readonly name: string; readonly why: string }[];
  /** What the pre-flight check found worth knowing (triggers on the lead table, a resumed 001 …). */
  readonly warnings: string[];
  readonly rolledBack: string | null;
  /** The rendered scripts that ran (or would run, on a dry run), in order. */
  readonly scripts: { readonly name: string; readonly sql: string }[];
}

function describeSqlite(db: Database, table: string, key?: string): TableShape | null {
  const name = splitTable(table).name;
  const obj = db
    .prepare(`SELECT type FROM sqlite_master WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE`)
    .get(name) as { type: 'table' | 'view' } | undefined;
  if (!obj) return null;
  const cols = db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(name) as {
    name: string;
    type: string;
  }[];
  const columns = new Map(cols.map((c) => [c.name.toLowerCase(), c.type.toLowerCase()]));
  if (key === undefined) return { kind: obj.type, columns };
  // the key alone is the primary key, or the only column of a unique index
  const pk = db.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk > 0`).pluck().all(name) as string[];
  const uniqueIndexed = (
    db.prepare(`SELECT name FROM pragma_index_list(?) WHERE "unique" = 1`).pluck().all(name) as string[]
  ).some((index) => {
    const keys = db.prepare(`SELECT name FROM pragma_index_info(?)`).pluck().all(index) as string[];
    return keys.length === 1 && keys[0]!.toLowerCase() === key.toLowerCase();
  });
  const triggers = db
    .prepare(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? COLLATE NOCASE`)
    .pluck()
    .get(name) as number;
  return {
    kind: obj.type,
    columns,
    keyUnique: (pk.length === 1 && pk[0]!.toLowerCase() === key.toLowerCase()) || uniqueIndexed,
    writeFeatures: triggers > 0 ? [`has ${triggers} trigger(s)`] : [],
  };
}

function appliedMigrations(db: Database): AppliedMigration[] {
  const exists = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
    .get();
  if (!exists) return [];
  const hasChecksum = (
    db.prepare(`SELECT name FROM pragma_table_info('schema_migrations')`).all() as {
      name: string;
    }[]
  ).some((c) => c.name === 'Checksum');
  return (
    db
      .prepare(`SELECT Version, ${hasChecksum ? 'Checksum' : 'NULL AS Checksum'} FROM schema_migrations`)
      .all() as {
      Version: string;
      Checksum: string | null;
    }[]
  ).map((r) => ({ version: r.Version, checksum: r.Checksum }));
}

function ensureBookkeeping(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    Version TEXT PRIMARY KEY, Name TEXT NOT NULL, AppliedAt INTEGER NOT NULL, Checksum TEXT NULL)`);
  const cols = db.prepare(`SELECT name FROM pragma_table_info('schema_migrations')`).all() as {
    name: string;
  }[];
  if (!cols.some((c) => c.name === 'Checksum'))
    db.exec('ALTER TABLE schema_migrations ADD COLUMN Checksum TEXT NULL');
}

function run(db: Database, m: RenderedMigration, sql: string, record: () => void): void {
  try {
    db.transaction(() => {
      db.exec(sql);
      record();
    })();
  } catch (e) {
    throw new StoreError('MIGRATION_FAILED', `Migration ${m.name} failed: ${(e as Error).message}`, e);
  }
}

/**
 * Applies the pending embedded migrations (`migrations/sqlite/`, rendered with the mapping) in order, each in its own
 * transaction, recording each with its checksum in `schema_migrations`; or rolls back the newest one. Before
 * changing anything it checks the mapped CRM tables and columns (CRM_SCHEMA_MISMATCH lists every problem). 000 runs
 * only with `withBaseline`.
 */
export function migrateSqlite(db: Database, options: MigrationOptions = {}): MigrationResult {
  const mapping = options.mapping ?? DEFAULT_MAPPING;
  const migrations = renderMigrations('sqlite', mapping);
  const applied = appliedMigrations(db);
  const result: MigrationResult = {
    applied: [],
    rerun: [],
    skipped: [],
    warnings: [],
    rolledBack: null,
    scripts: [],
  };

  if (options.rollback !== undefined) {
    const m = planRollback(migrations, applied, options.rollback, options);
    result.scripts.push({ name: `${m.name}.rollback`, sql: m.rollbackSql! });
    if (m.version === '000') {
      const rows = ['lead', 'FollowUps', 'Visit'].some(
        (t) => describeSqlite(db, t) && db.prepare(`SELECT 1 FROM ${quoteTable(t, 'sqlite')} LIMIT 1`).get(),
      );
      if (rows)
        throw new MigrationError('ROLLBACK_REFUSED', '000 rollback refused: the CRM tables hold rows');
    }
    if (!options.dryRun) {
      const release = holdRunLockForMigration(db, options.clock);
      try {
        run(db, m, m.rollbackSql!, () =>
          db.prepare('DELETE FROM schema_migrations WHERE Version = ?').run(m.version),
        );
      } finally {
        release();
      }
    }
    return { ...result, rolledBack: m.name };
  }

  const plan = planMigrations(migrations, applied, options);
  result.skipped.push(...plan.skipped);
  if (!options.dryRun) ensureBookkeeping(db);
  // no scoring run starts, and none may be running, while the schema changes (a no-op when nothing is pending)
  const release =
    options.dryRun || plan.steps.length === 0 ? () => undefined : holdRunLockForMigration(db, options.clock);
  try {
    applySteps(db, plan.steps, mapping, options, result, new Set(applied.map((a) => a.version)));
  } finally {
    release();
  }
  return result;
}

/** The planned steps in order, the CRM pre-flight before the first one that needs the CRM's tables. */
function applySteps(
  db: Database,
  steps: ReturnType<typeof planMigrations>['steps'],
  mapping: CrmMapping,
  options: MigrationOptions,
  result: MigrationResult,
  done: Set<string>,
): void {
  let checked = false;
  for (const { migration: m, rerun } of steps) {
    if (
      m.version !== '000' &&
      !checked &&
      !(options.dryRun && steps.some((s) => s.migration.version === '000'))
    ) {
      const { problems, warnings } = crmSchemaProblems(
        mapping,
        (t) => describeSqlite(db, t, t === mapping.lead.table ? mapping.lead.key : undefined),
        { scoreColumnsApplied: done.has('001'), dialect: 'sqlite' },
      );
      if (problems.length)
        throw new MigrationError('CRM_SCHEMA_MISMATCH', 'The database does not match the mapping', problems);
      result.warnings.push(...warnings);
      checked = true;
    }
    result.scripts.push({ name: m.name, sql: m.sql });
    (rerun ? result.rerun : result.applied).push(m.name);
    if (options.dryRun) continue;
    run(db, m, m.sql, () =>
      db
        .prepare(
          `INSERT INTO schema_migrations (Version, Name, AppliedAt, Checksum) VALUES (?, ?, ?, ?)
           ON CONFLICT (Version) DO UPDATE SET Name = excluded.Name, AppliedAt = excluded.AppliedAt, Checksum = excluded.Checksum`,
        )
        .run(m.version, m.name, Date.now(), m.checksum),
    );
    done.add(m.version);
  }
}
