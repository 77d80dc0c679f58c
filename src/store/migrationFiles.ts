import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MigrationError } from '../errors';
import { renderTemplate, type CrmMapping, type Dialect } from '../mapping';

/** A numbered migration file: `NNN_verb_object.sql`, with its `NNN_verb_object.rollback.sql` when there is one. */
export interface MigrationFile {
  readonly version: string;
  readonly name: string;
  readonly path: string;
  readonly sql: string;
  readonly rollbackSql: string | null;
  /** Marked `-- li:rerun-on-change`: applied again when its rendered text changes (views, the status map). */
  readonly rerunnable: boolean;
}

/** A migration rendered with the mapping, as it will run. */
export interface RenderedMigration extends MigrationFile {
  readonly checksum: string;
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

/** The folder of a dialect's migrations. */
export function migrationsDir(d: Dialect): string {
  return d === 'tsql' ? migrationsRoot() : join(migrationsRoot(), 'sqlite');
}

/** The forward migrations of a folder in version order, each with its rollback script. */
export function listMigrations(dir: string): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(join(dir, f), 'utf8');
      const rollback = join(dir, f.replace(/\.sql$/, '.rollback.sql'));
      return {
        version: f.slice(0, 3),
        name: f.replace(/\.sql$/, ''),
        path: join(dir, f),
        sql,
        rollbackSql: existsSync(rollback) ? readFileSync(rollback, 'utf8') : null,
        rerunnable: /^-- li:rerun-on-change\b/m.test(sql),
      };
    });
}

/** Every migration of a dialect rendered with the mapping (templates filled, optional parts kept or dropped). */
export function renderMigrations(d: Dialect, mapping: CrmMapping): RenderedMigration[] {
  return listMigrations(migrationsDir(d)).map((m) => {
    const sql = renderTemplate(m.sql, mapping, d, m.path);
    return {
      ...m,
      sql,
      rollbackSql:
        m.rollbackSql === null ? null : renderTemplate(m.rollbackSql, mapping, d, `${m.name} rollback`),
      checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16),
    };
  });
}

/** A script of the migrations folder (grants, verification) rendered with the mapping. */
export function renderScript(relativePath: string, mapping: CrmMapping): string {
  const path = join(migrationsRoot(), relativePath);
  return renderTemplate(readFileSync(path, 'utf8'), mapping, 'tsql', path);
}

/** Splits a T-SQL script into batches on `GO` lines, as sqlcmd and SSMS do. */
export function splitBatches(sql: string): string[] {
  return sql
    .split(/^\s*GO\s*;?\s*$/im)
    .map((b) => b.trim())
    .filter((b) => b.replace(/--.*$/gm, '').trim() !== '');
}

/** A migration recorded in schema_migrations (checksum null: recorded before checksums were kept). */
export interface AppliedMigration {
  readonly version: string;
  readonly checksum: string | null;
}

export interface MigrationPlan {
  /** What to run, in order; `rerun` = applied before, its rendered text has changed. */
  readonly steps: readonly { readonly migration: RenderedMigration; readonly rerun: boolean }[];
  /** Migrations left out, with why (000 without --with-baseline). */
  readonly skipped: readonly { readonly name: string; readonly why: string }[];
  /** Whether every migration is applied once the steps have run (the app role's grants apply then). */
  readonly complete: boolean;
}

/**
 * What `migrate` will do. 000 (the guide's CRM tables) runs only with `withBaseline`: a production database
 * already has its CRM. A migration applied with a different rendered text is applied again when it is rerunnable
 * (views, status map), and so is every rerunnable migration after it (the objects built on what it recreates);
 * otherwise the mapping changed under it (another lead table, say) and migrate refuses.
 */
export function planMigrations(
  migrations: readonly RenderedMigration[],
  applied: readonly AppliedMigration[],
  options: { readonly withBaseline?: boolean } = {},
): MigrationPlan {
  const done = new Map(applied.map((a) => [a.version, a.checksum]));
  const steps: { migration: RenderedMigration; rerun: boolean }[] = [];
  // once a migration (re)runs, the rerunnable ones after it run again too: they recreate the objects built on it
  let cascade = false;
  const skipped: { name: string; why: string }[] = [];
  for (const m of migrations) {
    if (!done.has(m.version)) {
      if (m.version === '000' && !options.withBaseline) {
        skipped.push({
          name: m.name,
          why: 'the CRM baseline runs only with --with-baseline (development databases)',
        });
        continue;
      }
      steps.push({ migration: m, rerun: false });
      cascade = true;
      continue;
    }
    const recorded = done.get(m.version) ?? null;
    if (recorded === null || recorded === m.checksum) {
      if (cascade && m.rerunnable) steps.push({ migration: m, rerun: true });
      continue;
    }
    if (!m.rerunnable) {
      throw new MigrationError(
        'MAPPING_CHANGED',
        `${m.name} was applied with a different mapping (recorded checksum ${recorded}, now ${m.checksum}); ` +
          `roll back to before it (lead-intel migrate --rollback …) or restore the mapping it was applied with`,
      );
    }
    steps.push({ migration: m, rerun: true });
    cascade = true;
  }
  const willBeApplied = new Set([...done.keys(), ...steps.map((s) => s.migration.version)]);
  const complete = migrations.every((m) => m.version === '000' || willBeApplied.has(m.version));
  return { steps, skipped, complete };
}

/**
 * The migration `--rollback <version>` undoes: only the newest applied one (rolling back an older one would leave
 * newer objects depending on what it drops), only with a rollback script, and 000 only with --with-baseline.
 */
export function planRollback(
  migrations: readonly RenderedMigration[],
  applied: readonly AppliedMigration[],
  version: string,
  options: { readonly withBaseline?: boolean } = {},
): RenderedMigration {
  const versions = applied.map((a) => a.version).sort();
  const newest = versions[versions.length - 1];
  const m = migrations.find((x) => x.version === version);
  if (!m) throw new MigrationError('ROLLBACK_REFUSED', `There is no migration ${version}`);
  if (!versions.includes(version)) throw new MigrationError('ROLLBACK_REFUSED', `${m.name} is not applied`);
  if (version !== newest) {
    throw new MigrationError(
      'ROLLBACK_REFUSED',
      `${m.name} is not the newest applied migration (${newest} is): roll back ${versions
        .filter((v) => v > version)
        .reverse()
        .join(', then ')} first`,
    );
  }
  if (version === '000' && !options.withBaseline) {
    throw new MigrationError(
      'ROLLBACK_REFUSED',
      'Rolling back 000 drops CRM tables: it needs --with-baseline',
    );
  }
  if (m.rollbackSql === null)
    throw new MigrationError('ROLLBACK_REFUSED', `${m.name} has no rollback script`);
  return m;
}
