import { RunLockedError, RunLockLostError } from '../../../src/errors';
import { tempStore } from '../../helpers/tempStore';

/**
 * The embedded run lock's lease, on a real SQLite file with a hand-set clock: 60 s leases, times in seconds after T0.
 */
const T0 = Date.UTC(2025, 9, 14, 9, 30);
const LEASE = 60_000;

describe('acquireSqliteRunLock', () => {
  it('renew() extends the lease from the moment of renewal, so a live run is not taken over', async () => {
    let now = T0;
    const t = tempStore({ clock: () => now, leaseMs: LEASE });
    try {
      const held = await t.store.acquireRunLock('run-a'); // expires at T0 + 60 s
      now = T0 + 50_000;
      await held.renew(); // expires at T0 + 50 s + 60 s = T0 + 110 s
      now = T0 + 100_000; // past the first lease, within the renewed one
      const refused = t.store.acquireRunLock('run-b');
      await expect(refused).rejects.toBeInstanceOf(RunLockedError);
      await expect(refused).rejects.toMatchObject({ code: 'RUN_LOCKED' });
      expect(
        t.store.connection.prepare('SELECT Owner, ExpiresAt FROM lead_scoring_lock').get(),
      ).toStrictEqual({ Owner: 'run-a', ExpiresAt: T0 + 110_000 });
      await held.release();
    } finally {
      await t.cleanup();
    }
  });

  it('lets a lapsed lease be taken over, and the old holder then learns it lost the lock', async () => {
    let now = T0;
    const t = tempStore({ clock: () => now, leaseMs: LEASE });
    try {
      const held = await t.store.acquireRunLock('run-a');
      now = T0 + 61_000; // one second past the unrenewed lease
      const taker = await t.store.acquireRunLock('run-b');
      await expect(held.renew()).rejects.toBeInstanceOf(RunLockLostError);
      // the lost holder's release leaves the new holder's row alone
      await held.release();
      expect(
        t.store.connection.prepare('SELECT Owner, ExpiresAt FROM lead_scoring_lock').get(),
      ).toStrictEqual({
        Owner: 'run-b',
        ExpiresAt: T0 + 121_000,
      });
      await taker.release();
      expect(t.store.connection.prepare('SELECT COUNT(*) FROM lead_scoring_lock').pluck().get()).toBe(0);
    } finally {
      await t.cleanup();
    }
  });

  it('refuses to renew a lock this run released', async () => {
    const t = tempStore({ clock: () => T0, leaseMs: LEASE });
    try {
      const held = await t.store.acquireRunLock('run-a');
      await held.release();
      await expect(held.renew()).rejects.toThrow('The run lock was released by this run');
    } finally {
      await t.cleanup();
    }
  });
});
