import sql from 'mssql';
import type { MssqlConfig } from '../../config/loadConfig';
import { MigrationError, RunLockedError, StoreError } from '../../errors';
import { DEFAULT_MAPPING, quoteTable, type CrmMapping } from '../../mapping';
import { crmSchemaProblems, type TableShape } from '../crmSchemaProblems';
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

async function describe(pool: sql.ConnectionPool, table: string, key?: string): Promise<TableShape | null> {
  const quoted = quoteTable(table, 'tsql');
  const r = await pool
    .request()
    .input('table', sql.NVarChar(300), quoted)
    .query<{ kind: string; columnName: string; typeName: string }>(Q.DESCRIBE_TABLE);
  if (r.recordset.length === 0) return null;
  const shape = {
    kind: r.recordset[0]!.kind.trim() === 'V' ? ('view' as const) : ('table' as const),
    columns: new Map(r.recordset.map((c) => [c.columnName.toLowerCase(), c.typeName.toLowerCase()])),
  };
  if (key === undefined || shape.kind === 'view') return shape;
  const facts = await pool
    .request()
    .input('table', sql.NVarChar(300), quoted)
    .input('key', sql.NVarChar(128), key)
    .query(Q.LEAD_TABLE_FACTS);
  const sets = facts.recordsets as unknown as [Record<string, number>[], { checkName: string }[]];
  const f = sets[0][0] ?? {};
  const features = [
    f.triggers ? `has ${f.triggers} enabled trigger(s)` : null,
    f.temporalType === 2 ? 'is system-versioned (every update adds a history row)' : null,
    f.cdc ? 'is tracked by change data capture' : null,
    f.changeTracking ? 'is change-tracked' : null,
    f.replicated ? 'is replicated' : null,
    f.memoryOptimized ? 'is memory-optimized (adding columns rebuilds it)' : null,
  ].filter((x): x is string => x !== null);
  return {
    ...shape,
    keyUnique: f.keyUnique === 1,
    checks: new Set(sets[1].map((c) => c.checkName)),
    writeFeatures: features,
  };
}

async function preflight(
  pool: sql.ConnectionPool,
  mapping: CrmMapping,
  scoreColumnsApplied: boolean,
): Promise<string[]> {
  const tables = [mapping.lead.table, mapping.followUps?.table, mapping.visits?.table].filter(
    (t): t is string => t !== undefined,
  );
  const shapes = new Map<string, TableShape | null>();
  for (const t of tables)
    shapes.set(t, await describe(pool, t, t === mapping.lead.table ? mapping.lead.key : undefined));
  const { problems, warnings } = crmSchemaProblems(mapping, (t) => shapes.get(t) ?? null, {
    scoreColumnsApplied,
    dialect: 'tsql',
  });
  if (problems.length)
    throw new MigrationError('CRM_SCHEMA_MISMATCH', 'The database does not match the mapping', problems);
  return warnings;
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
  log?: (l: string) => void,
): Promise<void> {
  const request = (): sql.Request => {
    const r = pool.request();
    r.on('info', (m: { message: string }) => log?.(`  ${name}: ${m.message}`));
    return r;
  };
  let open = false;
  try {
    for (const b of splitBatches(script)) {
      if (open) await request().batch(Q.ASSERT_IN_TRANSACTION);
      await request().batch(b);
      const begins = (b.match(/\bBEGIN TRANSACTION;/g) ?? []).length;
      const commits = (b.match(/\bCOMMIT TRANSACTION;/g) ?? []).length;
      if (begins !== commits) open = begins > commits;
    }
  } catch (e) {
    await pool
      .request()
      .batch('IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;')
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
    const applied: AppliedMigration[] = (
      await pool.request().query<{ Version: string; Checksum: string | null }>(Q.APPLIED_MIGRATIONS)
    ).recordset.map((r) => ({ version: r.Version.trim(), checksum: r.Checksum }));

    if (options.rollback !== undefined) {
      const m = planRollback(migrations, applied, options.rollback, options);
      result.scripts.push({ name: `${m.name}.rollback`, sql: m.rollbackSql! });
      if (!options.dryRun) {
        lock = await holdMssqlRunLockForMigration(pool);
        options.log?.(`Rolling back ${m.name}`);
        await runBatches(pool, `${m.name}.rollback`, m.rollbackSql!, options.log);
        await pool.request().input('version', sql.NVarChar(10), m.version).query(Q.FORGET_MIGRATION);
      }
      return { ...result, rolledBack: m.name };
    }

    const plan = planMigrations(migrations, applied, options);
    result.skipped.push(...plan.skipped);
    const baselineFirst = plan.steps[0]?.migration.version === '000';
    if (!baselineFirst)
      result.warnings.push(
        ...(await preflight(
          pool,
          mapping,
          applied.some((a) => a.version === '001'),
        )),
      );
    if (!options.dryRun) await pool.request().batch(Q.ENSURE_SCHEMA_MIGRATIONS);
    // no scoring run starts, and none may be running, while the schema changes
    if (!options.dryRun && plan.steps.length > 0) lock = await holdMssqlRunLockForMigration(pool);
    try {
      for (const { migration: m, rerun } of plan.steps) {
        result.scripts.push({ name: m.name, sql: m.sql });
        (rerun ? result.rerun : result.applied).push(m.name);
        if (options.dryRun) continue;
        await lock!.assertHeld();
        options.log?.(`${rerun ? 'Re-applying (the mapping changed)' : 'Applying'} ${m.name}`);
        await runBatches(pool, m.name, m.sql, options.log);
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
