import type { MigrationResult } from '../store/sqlite/migrateSqlite';

/** What a migrate command did (or, on a dry run, would do), for a person at a terminal. */
export function printMigration(
  r: MigrationResult,
  options: { readonly dryRun: boolean; readonly print: boolean; readonly grants: number },
  out: (line: string) => void,
): void {
  if (options.print) for (const s of r.scripts) out(`-- ${s.name}\n${s.sql}\n`);
  if (r.rolledBack) {
    out(`${options.dryRun ? 'Would roll back' : 'Rolled back'}: ${r.rolledBack}`);
    return;
  }
  if (r.applied.length) out(`${options.dryRun ? 'Would apply' : 'Applied'}: ${r.applied.join(', ')}`);
  if (r.rerun.length)
    out(
      `${options.dryRun ? 'Would re-apply' : 'Re-applied'} (the mapping changed them): ${r.rerun.join(', ')}`,
    );
  if (!r.applied.length && !r.rerun.length) out('Nothing to apply: the schema is up to date');
  for (const s of r.skipped) out(`Skipped ${s.name}: ${s.why}`);
  if (options.grants)
    out(`${options.dryRun ? 'Would grant' : 'Granted'} the role lead_intel_app its ${options.grants} rights`);
}
