import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type sql from 'mssql';
import { RunLockedError, StoreError } from '../../src/errors';
import { holdMssqlRunLockForMigration } from '../../src/store/mssql/migrationLock';
import * as Q from '../../src/store/mssql/statements';
import { holdRunLockForMigration } from '../../src/store/sqlite/migrationLock';
import { migrateSqlite } from '../../src/store/sqlite/migrateSqlite';
import { tempStore } from '../helpers/tempStore';

/** Answers the lock statements like a server would; records what was sent. */
function lockPool(answers: { acquire: number; mode: string; holder?: { RunId: number; StartedAt: Date } }) {
  const sent: string[] = [];
  const pool = {
    request: () => {
      const answer = (statement: string) => {
        sent.push(statement);
        if (statement === Q.ACQUIRE_LOCK) return { recordset: [{ result: answers.acquire }] };
        if (statement === Q.LOCK_MODE) return { recordset: [{ mode: answers.mode }] };
        if (statement === Q.LOCK_HOLDER) return { recordset: answers.holder ? [answers.holder] : [] };
        return { recordset: [] };
      };
      return {
        query: (s: string) => Promise.resolve(answer(s)),
        batch: (s: string) => Promise.resolve(answer(s)),
      };
    },
  };
  return { pool: pool as unknown as sql.ConnectionPool, sent };
}

describe('holdRunLockForMigration (embedded)', () => {
  it('refuses a migration while a run holds the lock, and applies nothing', async () => {
    const t = tempStore();
    try {
      // the newest embedded migration, read from the folder by name (NNN_name.sql, not a rollback script)
      const newestName = readdirSync(join(__dirname, '..', '..', 'migrations', 'sqlite'))
        .filter((f) => /^\d{3}_\w+\.sql$/.test(f) && !f.endsWith('.rollback.sql'))
        .sort()
        .pop()!
        .replace(/\.sql$/, '');
      const newest = newestName.slice(0, 3);
      expect(t.store.connection.prepare('SELECT MAX(Version) FROM schema_migrations').pluck().get()).toBe(
        newest,
      );
      expect(migrateSqlite(t.store.connection, { rollback: newest }).rolledBack).toBe(newestName);
      const run = await t.store.acquireRunLock('run-1');
      expect(() => migrateSqlite(t.store.connection, {})).toThrow(RunLockedError);
      expect(
        t.store.connection
          .prepare('SELECT COUNT(*) FROM schema_migrations WHERE Version = ?')
          .pluck()
          .get(newest),
      ).toBe(0);
      await run.release();
      expect(migrateSqlite(t.store.connection, {}).applied).toStrictEqual([newestName]);
    } finally {
      await t.cleanup();
    }
  });

  it('keeps runs out while it holds the lock, naming the migration, and lets them in once released', async () => {
    const t = tempStore();
    try {
      const release = holdRunLockForMigration(t.store.connection);
      const refused = await t.store.acquireRunLock('run-1').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RunLockedError);
      expect((refused as Error).message).toMatch(
        /^A migration \(lead-intel migrate\) has held the run lock since /,
      );
      release();
      const run = await t.store.acquireRunLock('run-1');
      await run.release();
    } finally {
      await t.cleanup();
    }
  });

  it('takes no lock when nothing is pending, so a run in progress does not block a no-op migrate', async () => {
    const t = tempStore();
    try {
      const run = await t.store.acquireRunLock('run-1');
      expect(migrateSqlite(t.store.connection, {}).applied).toStrictEqual([]);
      await run.release();
    } finally {
      await t.cleanup();
    }
  });
});

describe('holdMssqlRunLockForMigration (Azure SQL, on a double of the connection)', () => {
  it('refuses with RUN_LOCKED naming the running run when sp_getapplock returns a negative code', async () => {
    const holder = { RunId: 41, StartedAt: new Date('2025-10-14T09:00:00Z') };
    const { pool } = lockPool({ acquire: -1, mode: 'NoLock', holder });
    await expect(holdMssqlRunLockForMigration(pool)).rejects.toThrow(
      'Another scoring run (id 41) has held the run lock since 2025-10-14T09:00:00.000Z',
    );
  });

  it('says the holder may be a migration when no run is marked running', async () => {
    const { pool } = lockPool({ acquire: -1, mode: 'NoLock' });
    await expect(holdMssqlRunLockForMigration(pool)).rejects.toThrow(
      'Another scoring run or a migration holds the run lock',
    );
  });

  it('stops the migration when its session no longer holds the lock, with nothing left to release', async () => {
    const { pool, sent } = lockPool({ acquire: 0, mode: 'NoLock' });
    const lock = await holdMssqlRunLockForMigration(pool);
    const lost = await lock.assertHeld().catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(StoreError);
    expect((lost as StoreError).code).toBe('MIGRATION_FAILED');
    await lock.release();
    expect(sent).toStrictEqual([Q.ACQUIRE_LOCK, Q.LOCK_MODE]);
  });

  it('goes on while the session holds it (APPLOCK_MODE Exclusive), and releases it at the end', async () => {
    const { pool, sent } = lockPool({ acquire: 0, mode: 'Exclusive' });
    const lock = await holdMssqlRunLockForMigration(pool);
    await expect(lock.assertHeld()).resolves.toBeUndefined();
    await lock.release();
    expect(sent).toStrictEqual([Q.ACQUIRE_LOCK, Q.LOCK_MODE, Q.RELEASE_LOCK]);
  });
});
