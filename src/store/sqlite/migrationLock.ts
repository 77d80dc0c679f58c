import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { LOCK_NAME, MIGRATION_OWNER_PREFIX, takeLockRow } from './sqliteRunLock';

/**
 * A migration holds the lock for at most this long if its process dies without releasing it (Ctrl+C during a
 * migrate: SQLite rolls the step back, the row stays): runs are refused meanwhile, the message says until when.
 */
export const MIGRATION_LEASE_MS = 5 * 60_000;

/**
 * Takes the scoring run lock for the length of a migration, so that no scoring pass reads a schema half-changed and
 * none starts until the migration is done: refuses with RUN_LOCKED (naming the holder) while a run's lease is live.
 * A database without the lock table yet (before 003) has no runs to exclude. Returns the release; releasing
 * tolerates a rollback that dropped the table.
 */
export function holdRunLockForMigration(db: Database, now: () => number = Date.now): () => void {
  const hasLockTable = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lead_scoring_lock'`)
    .get();
  if (!hasLockTable) return () => undefined;
  const owner = `${MIGRATION_OWNER_PREFIX}${randomUUID()}`;
  db.transaction(() => takeLockRow(db, owner, now(), MIGRATION_LEASE_MS)).immediate();
  return () => {
    // never masks the migration's own error: a row left behind expires with its lease
    try {
      const stillThere = db
        .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lead_scoring_lock'`)
        .get();
      if (stillThere)
        db.prepare('DELETE FROM lead_scoring_lock WHERE Name = ? AND Owner = ?').run(LOCK_NAME, owner);
    } catch {
      // the lease runs out on its own
    }
  };
}
