import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { RunLockedError } from '../../errors';
import { LOCK_NAME, MIGRATION_OWNER_PREFIX } from './sqliteRunLock';

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
  db.transaction(() => {
    const t = now();
    const held = db
      .prepare('SELECT Owner, StartedAt, ExpiresAt FROM lead_scoring_lock WHERE Name = ?')
      .get(LOCK_NAME) as { Owner: string; StartedAt: number; ExpiresAt: number } | undefined;
    if (held && held.ExpiresAt > t) {
      const migrating = held.Owner.startsWith(MIGRATION_OWNER_PREFIX);
      const running = db
        .prepare(
          `SELECT RunId FROM lead_scoring_runs WHERE Status = 'running' ORDER BY StartedAt DESC LIMIT 1`,
        )
        .pluck()
        .get() as number | undefined;
      throw new RunLockedError(
        new Date(held.StartedAt),
        migrating ? null : (running ?? null),
        new Date(held.ExpiresAt),
        migrating ? 'migration' : 'run',
      );
    }
    db.prepare(
      `INSERT INTO lead_scoring_lock (Name, Owner, StartedAt, ExpiresAt) VALUES (?, ?, ?, ?)
       ON CONFLICT (Name) DO UPDATE SET Owner = excluded.Owner, StartedAt = excluded.StartedAt, ExpiresAt = excluded.ExpiresAt`,
    ).run(LOCK_NAME, owner, t, t + MIGRATION_LEASE_MS);
  }).immediate();
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
