import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A numbered migration file: `NNN_verb_object.sql`. */
export interface MigrationFile {
  readonly version: string;
  readonly name: string;
  readonly path: string;
  readonly sql: string;
}

/** The `migrations/` folder of the package, found upwards from this file (works from src/ and from dist/). */
export function migrationsRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'migrations');
    if (existsSync(join(candidate, 'sqlite'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No migrations/ folder found above ${from}`);
    dir = parent;
  }
}

/** The forward migrations of a folder in version order (rollback scripts excluded). */
export function listMigrations(dir: string): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: f.slice(0, 3),
      name: f.replace(/\.sql$/, ''),
      path: join(dir, f),
      sql: readFileSync(join(dir, f), 'utf8'),
    }));
}

/** Splits a T-SQL script into batches on `GO` lines, as sqlcmd and SSMS do. */
export function splitBatches(sql: string): string[] {
  return sql
    .split(/^\s*GO\s*;?\s*$/im)
    .map((b) => b.trim())
    .filter((b) => b.replace(/--.*$/gm, '').trim() !== '');
}
