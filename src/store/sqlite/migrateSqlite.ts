import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { StoreError } from '../../errors';
import { listMigrations, migrationsRoot } from '../migrationFiles';

export interface MigrationResult {
  readonly applied: string[];
  readonly skipped: string[];
}

/**
 * Applies the pending embedded migrations (`migrations/sqlite/NNN_*.sql`) in order, each in its own transaction,
 * recording each in `schema_migrations`. Rerunning applies nothing. `000` (the CRM baseline) is applied only with
 * `withBaseline` or when the database has no `lead` table yet.
 */
export function migrateSqlite(
  db: Database,
  options: { withBaseline?: boolean; dryRun?: boolean } = {},
): MigrationResult {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    Version TEXT PRIMARY KEY, Name TEXT NOT NULL, AppliedAt INTEGER NOT NULL)`);
  const done = new Set(
    (db.prepare('SELECT Version FROM schema_migrations').all() as { Version: string }[]).map(
      (r) => r.Version,
    ),
  );
  const hasLead =
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lead'`).get() !== undefined;
  const applied: string[] = [];
  const skipped: string[] = [];
  for (const m of listMigrations(join(migrationsRoot(), 'sqlite'))) {
    if (done.has(m.version)) continue;
    if (m.version === '000' && hasLead && !options.withBaseline) {
      skipped.push(m.name);
      continue;
    }
    if (options.dryRun) {
      applied.push(m.name);
      continue;
    }
    try {
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (Version, Name, AppliedAt) VALUES (?, ?, ?)').run(
          m.version,
          m.name,
          Date.now(),
        );
      })();
    } catch (e) {
      throw new StoreError('MIGRATION_FAILED', `Migration ${m.name} failed: ${(e as Error).message}`, e);
    }
    applied.push(m.name);
  }
  return { applied, skipped };
}
