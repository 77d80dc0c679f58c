import sql from 'mssql';
import { RunLockedError, RunLockLostError } from '../../errors';
import type { RunLock } from '../leadStore';
import { toStoreError, type MssqlContext } from './mssqlContext';
import { LOCK_CONNECTIONS, mssqlPoolConfig } from './poolConfig';
import * as Q from './statements';

/**
 * The run lock is an exclusive sp_getapplock owned by the session of a dedicated single connection: it lives as
 * long as that session, so a run killed with its process releases it when SQL Server drops the session (no expiry
 * to wait for). The lease here is the heartbeat's: `renew` checks that the session still holds the lock
 * (APPLOCK_MODE) and rejects with RunLockLostError when it does not (its connection dropped and was replaced).
 */
export async function acquireMssqlRunLock(ctx: MssqlContext): Promise<RunLock> {
  const lockPool = new sql.ConnectionPool(
    mssqlPoolConfig(ctx.cfg, { max: LOCK_CONNECTIONS, idleTimeoutMillis: 24 * 3_600_000 }),
  );
  try {
    await lockPool.connect();
    const r = await lockPool.request().query<{ result: number }>(Q.ACQUIRE_LOCK);
    const result = r.recordset[0]?.result ?? -999;
    if (result < 0) {
      const h = await lockHolder(ctx.pool);
      // no run marked running (or none could be read): the holder is `lead-intel migrate` (it takes the same
      // lock) or a run just starting
      throw new RunLockedError(h?.StartedAt ?? null, h?.RunId ?? null, null, h ? 'run' : 'unknown');
    }
  } catch (e) {
    await lockPool.close().catch(() => undefined);
    throw toStoreError('take the run lock', e);
  }
  let released = false;
  return {
    leaseMs: ctx.leaseMs,
    renew: async () => {
      if (released) throw new RunLockLostError('The run lock was released by this run');
      const r = await lockPool
        .request()
        .query<{ mode: string }>(Q.LOCK_MODE)
        .catch((e: unknown) => {
          throw toStoreError('check the run lock', e);
        });
      if (r.recordset[0]?.mode !== 'Exclusive') {
        throw new RunLockLostError(
          'The run lock was lost (its database session ended, so SQL Server released it); stopping this run',
        );
      }
    },
    release: async () => {
      if (released) return;
      released = true;
      try {
        await lockPool.request().query(Q.RELEASE_LOCK);
      } catch {
        // closing the connection below releases a session lock anyway
      } finally {
        await lockPool.close().catch(() => undefined);
      }
    },
  };
}

/**
 * The run marked running, to name in RUN_LOCKED; undefined when it cannot be told within a few seconds. While a
 * migration holds the lock its DDL may hold a schema-modification lock on dbo.lead_scoring_runs, which this SELECT
 * would wait for: the refusal must stay RUN_LOCKED (the timer skips the tick), not become a store error.
 */
export async function lockHolder(
  pool: sql.ConnectionPool,
): Promise<{ RunId: number; StartedAt: Date } | undefined> {
  const request = pool.request();
  const timer = setTimeout(() => request.cancel(), HOLDER_WAIT_MS);
  try {
    return (await request.query<{ RunId: number; StartedAt: Date }>(Q.LOCK_HOLDER)).recordset[0];
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

const HOLDER_WAIT_MS = 3_000;
