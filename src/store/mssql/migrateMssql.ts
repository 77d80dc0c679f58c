import sql from 'mssql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MssqlConfig } from '../../config/loadConfig';
import { StoreError } from '../../errors';
import { listMigrations, migrationsRoot, splitBatches } from '../migrationFiles';
import { mssqlPoolConfig } from './poolConfig';
import * as Q from './statements';

export interface MssqlMigrationResult {
  readonly applied: string[];
  readonly skipped: string[];
  /** Batches per migration that would run (dry run) or ran. */
  readonly batches: Record<string, number>;
  readonly verify?: { scoreColumns: number; snapshotTables: number };
}

/**
 * Applies pending T-SQL migrations in order on ONE connection (their transactions span GO batches), recording each
 * in dbo.schema_migrations. `000` (the CRM baseline) runs only with `withBaseline` or when dbo.lead does not exist.
 * Never called from the function app: migrations are an operator's step (`lead-intel migrate --target mssql`).
 */
export async function migrateMssql(
  cfg: MssqlConfig,
  options: { withBaseline?: boolean; dryRun?: boolean; verify?: boolean; log?: (line: string) => void } = {},
): Promise<MssqlMigrationResult> {
  const pool = new sql.ConnectionPool(mssqlPoolConfig(cfg, { max: 1 }));
  const applied: string[] = [];
  const skipped: string[] = [];
  const batches: Record<string, number> = {};
  try {
    await pool.connect();
    await pool.request().batch(Q.ENSURE_SCHEMA_MIGRATIONS);
    const done = new Set(
      (await pool.request().query<{ Version: string }>(Q.APPLIED_MIGRATIONS)).recordset.map((r) =>
        r.Version.trim(),
      ),
    );
    const hasLead =
      (await pool.request().query<{ hasLead: number }>(Q.HAS_LEAD_TABLE)).recordset[0]?.hasLead === 1;
    for (const m of listMigrations(migrationsRoot())) {
      if (done.has(m.version)) continue;
      if (m.version === '000' && hasLead && !options.withBaseline) {
        skipped.push(m.name);
        continue;
      }
      const parts = splitBatches(m.sql);
      batches[m.name] = parts.length;
      applied.push(m.name);
      if (options.dryRun) continue;
      options.log?.(`Applying ${m.name} (${parts.length} batches)`);
      try {
        for (const b of parts) await pool.request().batch(b);
        await pool
          .request()
          .input('version', sql.NVarChar(10), m.version)
          .input('name', sql.NVarChar(200), m.name)
          .query(Q.RECORD_MIGRATION);
      } catch (e) {
        await pool
          .request()
          .batch('IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;')
          .catch(() => undefined);
        throw new StoreError('MIGRATION_FAILED', `Migration ${m.name} failed: ${(e as Error).message}`, e);
      }
    }
    let verify: MssqlMigrationResult['verify'];
    if (options.verify && !options.dryRun) {
      const r = await pool
        .request()
        .batch(readFileSync(join(migrationsRoot(), 'verify', '001_verify.sql'), 'utf8'));
      const sets = r.recordsets as unknown as { ScoreColumns?: number; SnapshotTables?: number }[][];
      verify = {
        scoreColumns: sets[0]?.[0]?.ScoreColumns ?? 0,
        snapshotTables: sets[1]?.[0]?.SnapshotTables ?? 0,
      };
    }
    return { applied, skipped, batches, verify };
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `Cannot migrate the Azure SQL database: ${(e as Error).message}`,
      e,
    );
  } finally {
    await pool.close().catch(() => undefined);
  }
}
