import sql from 'mssql';
import type { MssqlConfig } from '../../config/loadConfig';
import { MigrationError, RunLockedError, StoreError } from '../../errors';
import { DEFAULT_MAPPING, quoteTable, type CrmMapping } from '../../mapping';
import {
  planMigrations,
  planRollback,
  renderMigrations,
  renderScript,
  splitBatches,
  type AppliedMigration,
  type RenderedMigration,
} from '../migrationFiles';
import type { MigrationOptions, MigrationResult } from '../sqlite/migrateSqlite';
import { applyGrants, grantStatements } from './migrateGrants';
import { preflight } from './migratePreflight';
import { holdMssqlRunLockForMigration, type MigrationLock } from './migrationLock';
import { mssqlPoolConfig } from './poolConfig';
import * as Q from './statements';

export { grantStatements } from './migrateGrants';

export interface MssqlMigrationResult extends MigrationResult {
  /** The guide's checks (9 score columns, 1 snapshot table) and the ownership chain, with --verify. */
  readonly verify?: {
    readonly scoreColumns: number;
    readonly snapshotTables: number;
    /** Objects whose owner differs from dbo.li_leads' (empty: the chain holds). */
    readonly brokenOwnership: readonly string[];
  };
  /** GRANT statements of migrations/grants/lead_intel_app.sql run (or that would run). */
  readonly grants: number;
}

/**
 * Runs a rendered script batch by batch on the one connection: a transaction may span GO batches. Before each batch
 * that continues an open transaction it checks the session still has it: a pool that silently replaced a dropped
 * connection would otherwise run the rest of the script in autocommit (the server rolls back what the lost session
 * had done).
 */
async function runBatches(
  pool: sql.ConnectionPool,
  name: string,
  script: string,
  log: ((l: string) => void) | undefined,
  lock: MigrationLock,
): Promise<void> {
  const request = (): sql.Request => {
    const r = pool.request();
    r.on('info', (m: { message: string }) => log?.(`  ${name}: ${m.message}`));
    return r;
  };
  let open = false;
  try {
    for (const b of splitBatches(script)) {
      // every batch, not only a transaction's next one: 001's index builds run outside any transaction
      await lock.assertHeld();
      if (open) await request().batch(Q.ASSERT_IN_TRANSACTION);
      await request().batch(b);
      const begins = (b.match(/\bBEGIN TRANSACTION;/g) ?? []).length;
      const commits = (b.match(/\bCOMMIT TRANSACTION;/g) ?? []).length;
      if (begins !== commits) open = begins > commits;
    }
    await request().batch(Q.RESET_LOCK_TIMEOUT);
  } catch (e) {
    await pool
      .request()
      .batch('IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;')
      .catch(() => undefined);
    await request()
      .batch(Q.RESET_LOCK_TIMEOUT)
      .catch(() => undefined);
    const lockTimeout = (e as { number?: unknown }).number === 1222;
    throw new StoreError(
      'MIGRATION_FAILED',
      `Migration ${name} failed: ${(e as Error).message}${
        lockTimeout
          ? ' (a CRM transaction held the table past the 5 s lock timeout: the failed step was rolled back; steps committed before it stay, and rerunning migrate resumes after them when the CRM is quieter)'
          : ''
      }`,
      e,
    );
  }
}

async function verify(
  pool: sql.ConnectionPool,
  mapping: CrmMapping,
): Promise<NonNullable<MssqlMigrationResult['verify']>> {
  const r = await pool.request().batch(renderScript('verify/001_verify.sql', mapping));
  const sets = r.recordsets as unknown as { ScoreColumns?: number; SnapshotTables?: number }[][];
  const objects = [
    'dbo.li_leads',
    'dbo.li_follow_ups',
    'dbo.li_visits',
    quoteTable(mapping.lead.table, 'tsql'),
    mapping.followUps ? quoteTable(mapping.followUps.table, 'tsql') : null,
    mapping.visits ? quoteTable(mapping.visits.table, 'tsql') : null,
  ];
  const req = pool.request();
  objects.forEach((o, i) => req.input(`o${i}`, sql.NVarChar(300), o));
  const owners = (await req.query<{ objectName: string; ownerName: string }>(Q.OBJECT_OWNERS)).recordset;
  const viewOwner = owners.find((o) => o.objectName === 'li_leads')?.ownerName;
  return {
    scoreColumns: sets[0]?.[0]?.ScoreColumns ?? 0,
    snapshotTables: sets[1]?.[0]?.SnapshotTables ?? 0,
    brokenOwnership: owners
      .filter((o) => o.ownerName !== viewOwner)
      .map((o) => `${o.objectName} (owner ${o.ownerName})`),
  };
}

/** Records an applied migration with its checksum in dbo.schema_migrations. */
async function recordMigration(pool: sql.ConnectionPool, m: RenderedMigration): Promise<void> {
  await pool
    .request()
    .input('version', sql.NVarChar(10), m.version)
    .input('name', sql.NVarChar(200), m.name)
    .input('checksum', sql.VarChar(64), m.checksum)
    .query(Q.RECORD_MIGRATION);
}

async function connectToMigrate(pool: sql.ConnectionPool): Promise<void> {
  try {
    await pool.connect();
  } catch (e) {
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `Cannot connect to migrate the Azure SQL database: ${(e as Error).message}`,
      e,
    );
  }
}

async function readApplied(pool: sql.ConnectionPool): Promise<AppliedMigration[]> {
  return (
    await pool.request().query<{ Version: string; Checksum: string | null }>(Q.APPLIED_MIGRATIONS)
  ).recordset.map((r) => ({ version: r.Version.trim(), checksum: r.Checksum }));
}

interface PendingWork {
  readonly migrations: RenderedMigration[];
  readonly applied: AppliedMigration[];
  readonly mapping: CrmMapping;
  readonly grants: readonly string[];
  readonly result: Omit<MssqlMigrationResult, 'verify'> & { grants: number };
}

/**
 * The forward path: the pending migrations under the run lock (no scoring run starts, and none may be running, while
 * the schema changes), planned again once the lock is held (another migrate may have finished meanwhile), then the
 * grants.
 */
async function applyPending(
  pool: sql.ConnectionPool,
  w: PendingWork,
  options: MigrationOptions & { log?: (line: string) => void },
  hold: (lock: MigrationLock) => void,
): Promise<void> {
  const { result, mapping, grants } = w;
  let applied = w.applied;
  let plan = planMigrations(w.migrations, applied, options);
  let lock: MigrationLock | undefined;
  if (!options.dryRun && plan.steps.length > 0) {
    hold((lock = await holdMssqlRunLockForMigration(pool)));
    applied = await readApplied(pool);
    plan = planMigrations(w.migrations, applied, options);
  }
  result.skipped.push(...plan.skipped);
  if (plan.steps[0]?.migration.version !== '000')
    result.warnings.push(
      ...(await preflight(
        pool,
        mapping,
        applied.some((a) => a.version === '001'),
      )),
    );
  if (!options.dryRun) await pool.request().batch(Q.ENSURE_SCHEMA_MIGRATIONS);
  try {
    for (const { migration: m, rerun } of plan.steps) {
      result.scripts.push({ name: m.name, sql: m.sql });
      (rerun ? result.rerun : result.applied).push(m.name);
      if (options.dryRun || !lock) continue;
      options.log?.(`${rerun ? 'Re-applying (the mapping changed)' : 'Applying'} ${m.name}`);
      await runBatches(pool, m.name, m.sql, options.log, lock);
      await recordMigration(pool, m);
      if (m.version === '000') result.warnings.push(...(await preflight(pool, mapping, false)));
    }
  } finally {
    if (!options.dryRun && plan.steps.length > 0)
      result.grants = await applyGrants(pool, grants).catch(() => 0);
  }
  if (options.dryRun && plan.complete) {
    result.grants = grants.length;
    result.scripts.push({ name: 'grants/lead_intel_app', sql: grants.join('\n') });
  } else if (!options.dryRun && plan.steps.length === 0) result.grants = await applyGrants(pool, grants);
}

/**
 * Applies the pending T-SQL migrations, rendered with the mapping, in order on ONE connection (their transactions
 * span GO batches), recording each with its checksum in dbo.schema_migrations, then gives the app role its rights
 * (migrations/grants/lead_intel_app.sql) once every migration is applied; or rolls back the newest one. Before
 * changing anything it checks the mapped CRM tables and columns. `000` (the guide's CRM tables) runs only with
 * `withBaseline`. Never called from the function app: migrations are an operator's step, run by a member of
 * db_owner (docs/azure-sql.md says why nothing less suffices).
 */
export async function migrateMssql(
  cfg: MssqlConfig,
  options: MigrationOptions & { verify?: boolean; log?: (line: string) => void } = {},
): Promise<MssqlMigrationResult> {
  const mapping = options.mapping ?? DEFAULT_MAPPING;
  const migrations = renderMigrations('tsql', mapping);
  // One connection (the scripts' transactions span batches). No request timeout: an online index build on a large
  // CRM table can take longer than the app's MSSQL_REQUEST_TIMEOUT_MS, and a cancelled build is wasted work.
  const pool = new sql.ConnectionPool(mssqlPoolConfig(cfg, { max: 1, requestTimeoutMs: 0 }));
  const result = {
    applied: [] as string[],
    rerun: [] as string[],
    skipped: [] as { name: string; why: string }[],
    warnings: [] as string[],
    rolledBack: null as string | null,
    scripts: [] as { name: string; sql: string }[],
    grants: 0,
  };
  const grants = grantStatements(renderScript('grants/lead_intel_app.sql', mapping));
  let lock: MigrationLock | undefined;
  try {
    await connectToMigrate(pool);
    const applied = await readApplied(pool);

    if (options.rollback !== undefined) {
      const m = planRollback(migrations, applied, options.rollback, options);
      result.scripts.push({ name: `${m.name}.rollback`, sql: m.rollbackSql! });
      if (!options.dryRun) {
        lock = await holdMssqlRunLockForMigration(pool);
        options.log?.(`Rolling back ${m.name}`);
        await runBatches(pool, `${m.name}.rollback`, m.rollbackSql!, options.log, lock);
        await pool.request().input('version', sql.NVarChar(10), m.version).query(Q.FORGET_MIGRATION);
      }
      return { ...result, rolledBack: m.name };
    }

    await applyPending(pool, { migrations, applied, mapping, grants, result }, options, (l) => (lock = l));
    const verified = options.verify && !options.dryRun ? await verify(pool, mapping) : undefined;
    return { ...result, verify: verified };
  } catch (e) {
    if (e instanceof StoreError || e instanceof MigrationError || e instanceof RunLockedError) throw e;
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `Cannot migrate the Azure SQL database: ${(e as Error).message}`,
      e,
    );
  } finally {
    await lock?.release();
    await pool.close().catch(() => undefined);
  }
}
