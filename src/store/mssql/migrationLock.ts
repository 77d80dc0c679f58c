import type sql from 'mssql';
import { RunLockedError, StoreError } from '../../errors';
import { lockHolder } from './mssqlRunLock';
import * as Q from './statements';

export interface MigrationLock {
  /** Rejects when the migration's session no longer holds the lock (the pool replaced a dropped connection). */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

/**
 * Takes the scoring run lock on the migration's one connection, so that no scoring pass reads a schema half-changed
 * and none starts until the migration is done. The same exclusive session-owned application lock as a run's
 * (Q.ACQUIRE_LOCK, never waited for): while a run holds it, migrate refuses with RUN_LOCKED; while migrate holds it,
 * a run does. sp_getapplock (Remarks, https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sp-getapplock-transact-sql):
 * a lock resource is identified by the database, the @DbPrincipal (default public, for the app's user and for the
 * db_owner member who migrates alike) and the name, so both contend for one lock; a session-owned lock is released
 * when its session logs out, so a migrate that dies frees it with its connection. A pool that silently replaced that
 * connection would have lost it, which `assertHeld` detects (APPLOCK_MODE) before every batch.
 */
export async function holdMssqlRunLockForMigration(pool: sql.ConnectionPool): Promise<MigrationLock> {
  const r = await pool.request().query<{ result: number }>(Q.ACQUIRE_LOCK);
  if ((r.recordset[0]?.result ?? -999) < 0) {
    // before 003 there is no run table (and no run could hold the lock): the holder is then unknown
    const h = await lockHolder(pool);
    throw new RunLockedError(h?.StartedAt ?? null, h?.RunId ?? null, null, h ? 'run' : 'unknown');
  }
  let held = true;
  return {
    assertHeld: async () => {
      const mode = (await pool.request().query<{ mode: string }>(Q.LOCK_MODE)).recordset[0]?.mode;
      held = mode === 'Exclusive';
      if (!held)
        throw new StoreError(
          'MIGRATION_FAILED',
          'The migration lost the run lock (its database connection was replaced); nothing more was applied: run migrate again',
        );
    },
    release: async () => {
      // a lost lock has nothing to release (sp_releaseapplock would raise 1223); closing the pool ends the session
      if (!held) return;
      await pool
        .request()
        .batch(Q.RELEASE_LOCK)
        .catch(() => undefined); // closing the connection releases a session lock anyway
    },
  };
}
