import type Database from 'better-sqlite3';
import { RunLockedError, RunLockLostError } from '../../errors';
import type { RunLock } from '../leadStore';
import { attempt } from './sqliteErrors';

export const LOCK_NAME = 'lead-scoring';

/** The lock row's owner while `lead-intel migrate` holds it (src/store/sqlite/migrationLock.ts). */
export const MIGRATION_OWNER_PREFIX = 'migrate:';

export interface SqliteLockContext {
  readonly db: Database.Database;
  readonly clock: () => number;
  readonly leaseMs: number;
  /** True once the store is closed: releasing then is a no-op. */
  readonly isClosed: () => boolean;
}

/**
 * The run lock is a row of lead_scoring_lock with a lease: taken when there is none, when it is ours, or when its
 * lease has run out (a holder that stopped renewing, e.g. killed by kill -9, blocks the next run for at most one
 * lease). `renew` extends the lease only while the row is still ours, and rejects with RunLockLostError otherwise.
 */
export function acquireSqliteRunLock(ctx: SqliteLockContext, owner: string): Promise<RunLock> {
  const { db, clock, leaseMs } = ctx;
  const take = db.transaction(() => takeLockRow(db, owner, clock(), leaseMs));
  let released = false;
  return attempt('take the run lock', () => {
    take.immediate();
    return {
      leaseMs,
      renew: () => {
        if (released) return Promise.reject(new RunLockLostError('The run lock was released by this run'));
        return attempt('renew the run lock', () => {
          const renewed = db
            .prepare('UPDATE lead_scoring_lock SET ExpiresAt = ? WHERE Name = ? AND Owner = ?')
            .run(clock() + leaseMs, LOCK_NAME, owner).changes;
          if (renewed === 0)
            throw new RunLockLostError(
              `The run lock was taken over by another run (its lease of ${leaseMs / 1000} s ran out before this run renewed it); stopping this run`,
            );
        });
      },
      release: () => {
        if (released || ctx.isClosed()) return Promise.resolve();
        released = true;
        return attempt('release the run lock', () => {
          db.prepare('DELETE FROM lead_scoring_lock WHERE Name = ? AND Owner = ?').run(LOCK_NAME, owner);
        });
      },
    } satisfies RunLock;
  });
}

/**
 * Takes the lock row for `owner` at time `t` for `leaseMs`, inside the caller's transaction: when there is none, when
 * it is this owner's, or when its lease has run out; otherwise RUN_LOCKED naming the holder (a run or a migration).
 * Shared by the run lock and `lead-intel migrate` (migrationLock.ts).
 */
export function takeLockRow(db: Database.Database, owner: string, t: number, leaseMs: number): void {
  const held = db
    .prepare('SELECT Owner, StartedAt, ExpiresAt FROM lead_scoring_lock WHERE Name = ?')
    .get(LOCK_NAME) as { Owner: string; StartedAt: number; ExpiresAt: number } | undefined;
  if (held && held.ExpiresAt > t && held.Owner !== owner) {
    const migrating = held.Owner.startsWith(MIGRATION_OWNER_PREFIX);
    const running = migrating
      ? undefined
      : (db
          .prepare(
            `SELECT RunId FROM lead_scoring_runs WHERE Status = 'running' ORDER BY StartedAt DESC LIMIT 1`,
          )
          .pluck()
          .get() as number | undefined);
    throw new RunLockedError(
      new Date(held.StartedAt),
      running ?? null,
      new Date(held.ExpiresAt),
      migrating ? 'migration' : 'run',
    );
  }
  db.prepare(
    `INSERT INTO lead_scoring_lock (Name, Owner, StartedAt, ExpiresAt) VALUES (?, ?, ?, ?)
     ON CONFLICT (Name) DO UPDATE SET Owner = excluded.Owner, StartedAt = excluded.StartedAt, ExpiresAt = excluded.ExpiresAt`,
  ).run(LOCK_NAME, owner, t, t + leaseMs);
}
