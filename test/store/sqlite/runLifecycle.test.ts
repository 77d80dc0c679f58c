import { RunLockedError, RunLockLostError } from '../../../src/errors';
import type { RunStart } from '../../../src/store/leadStore';
import { migrateSqlite } from '../../../src/store/sqlite/migrateSqlite';
import { SqliteLeadStore } from '../../../src/store/sqlite/sqliteLeadStore';
import { tempStore } from '../../helpers/tempStore';

const T0 = Date.UTC(2025, 9, 14, 9, 30);
const LEASE = 2 * 60_000; // the default, RUN_LOCK_LEASE_SECONDS=120

const start = (runKey: string, startedAt: number): RunStart => ({
  runKey,
  trigger: 'timer',
  startedAt,
  requestedLeads: null,
});

/** The embedded store on one file, seen from two processes: each with its own connection and clock. */
function twoProcesses() {
  let clockA = T0;
  let clockB = T0;
  const a = tempStore({ clock: () => clockA });
  const b = SqliteLeadStore.open(a.path, { clock: () => clockB });
  return {
    a: a.store,
    b,
    db: a.store.connection,
    advance: (ms: number) => {
      clockA += ms;
      clockB += ms;
    },
    cleanup: async () => {
      await b.close();
      await a.cleanup();
    },
  };
}

describe('SqliteLeadStore run lock', () => {
  it('leases the lock for 2 minutes by default, and RUN_LOCKED says when it expires', async () => {
    const p = twoProcesses();
    try {
      const lock = await p.a.acquireRunLock('worker-a');
      expect(lock.leaseMs).toBe(LEASE);
      const error = (await p.b.acquireRunLock('worker-b').catch((e: unknown) => e)) as RunLockedError;
      expect(error).toBeInstanceOf(RunLockedError);
      expect(error.lockExpiresAt).toStrictEqual(new Date(T0 + LEASE));
      expect(error.message).toBe(
        'Another scoring run (id unknown) has held the run lock since 2025-10-14T09:30:00.000Z; ' +
          'the lock expires at 2025-10-14T09:32:00.000Z unless that run renews it',
      );
      // a renewal moves the expiry: one lease from the renewal
      p.advance(30_000);
      await lock.renew();
      const again = (await p.b.acquireRunLock('worker-b').catch((e: unknown) => e)) as RunLockedError;
      expect(again.lockExpiresAt).toStrictEqual(new Date(T0 + 30_000 + LEASE));
    } finally {
      await p.cleanup();
    }
  });

  it('lets the next run take over a lock not renewed for a whole lease, and not a millisecond earlier', async () => {
    const p = twoProcesses();
    try {
      await p.a.acquireRunLock('killed-with-kill-9'); // never renewed nor released again
      p.advance(LEASE - 1);
      await expect(p.b.acquireRunLock('next-run')).rejects.toBeInstanceOf(RunLockedError);
      p.advance(1);
      const lock = await p.b.acquireRunLock('next-run');
      expect(p.db.prepare('SELECT Owner FROM lead_scoring_lock').get()).toStrictEqual({ Owner: 'next-run' });
      await lock.release();
    } finally {
      await p.cleanup();
    }
  });

  it('rejects renew() with RUN_LOCK_LOST once another run took the lock over, as the Azure SQL lock does', async () => {
    const p = twoProcesses();
    try {
      const stalled = await p.a.acquireRunLock('stalled');
      p.advance(LEASE + 1);
      const next = await p.b.acquireRunLock('next-run');
      const error = (await stalled.renew().catch((e: unknown) => e)) as RunLockLostError;
      expect(error).toBeInstanceOf(RunLockLostError);
      expect(error.code).toBe('RUN_LOCK_LOST');
      expect(error.message).toBe(
        'The run lock was taken over by another run (its lease of 120 s ran out before this run renewed it); stopping this run',
      );
      // the stalled run's release does not free the new holder's lock
      await stalled.release();
      await expect(next.renew()).resolves.toBeUndefined();
      expect(p.db.prepare('SELECT Owner FROM lead_scoring_lock').get()).toStrictEqual({ Owner: 'next-run' });
      await next.release();
      await expect(next.renew()).rejects.toBeInstanceOf(RunLockLostError);
    } finally {
      await p.cleanup();
    }
  });
});

describe('SqliteLeadStore run log', () => {
  it('records a run start once per client key: a retried start returns the same row', async () => {
    const t = tempStore({ clock: () => T0 });
    try {
      const first = await t.store.startRun(start('6f1a3b7e-4a5b-4c3d-9e8f-0a1b2c3d4e5f', T0));
      const retry = await t.store.startRun(start('6f1a3b7e-4a5b-4c3d-9e8f-0a1b2c3d4e5f', T0));
      expect(retry).toBe(first);
      expect(
        t.store.connection.prepare('SELECT RunId, RunKey, Status FROM lead_scoring_runs').all(),
      ).toStrictEqual([{ RunId: first, RunKey: '6f1a3b7e-4a5b-4c3d-9e8f-0a1b2c3d4e5f', Status: 'running' }]);
      expect((await t.store.getRun(first))?.runKey).toBe('6f1a3b7e-4a5b-4c3d-9e8f-0a1b2c3d4e5f');
    } finally {
      await t.cleanup();
    }
  });

  it('closes the row of a run that died holding the lock as abandoned when the next run takes over and starts', async () => {
    const p = twoProcesses();
    try {
      await p.a.acquireRunLock('killed');
      const dead = await p.a.startRun(start('dead-run', T0));
      p.advance(LEASE + 1);
      await p.b.acquireRunLock('next');
      const next = await p.b.startRun(start('next-run', T0 + LEASE + 1));
      expect(await p.b.getRun(dead)).toMatchObject({
        status: 'abandoned',
        finishedAt: null, // when it stopped is not known
        errorCode: 'RUN_ABANDONED',
        errorMessage:
          "No outcome was recorded: the run's process stopped or lost the run lock (not renewed for 120 s); " +
          'closed as abandoned by the run that started at 2025-10-14T09:32:00.001Z',
      });
      expect((await p.b.getRun(next))?.status).toBe('running');
      // a late outcome of the dead run does not reopen its row: a run ends one way only
      await p.a.finishRun(dead, {
        status: 'succeeded',
        finishedAt: T0 + LEASE + 2,
        leadsRead: 1,
        leadsScored: 1,
        leadsSkipped: 0,
        rowsChanged: 1,
        snapshotsWritten: 1,
        durationMs: LEASE + 2,
      });
      expect((await p.b.getRun(dead))?.status).toBe('abandoned');
    } finally {
      await p.cleanup();
    }
  });

  it('leaves a running row younger than the lease alone (its run may be alive)', async () => {
    const t = tempStore({ clock: () => T0 + LEASE - 1 });
    try {
      const young = await t.store.startRun(start('young', T0));
      await t.store.startRun(start('other', T0 + LEASE - 1));
      expect((await t.store.getRun(young))?.status).toBe('running');
    } finally {
      await t.cleanup();
    }
  });
});

describe('migration 005 on an existing embedded database', () => {
  it('keeps every run row and RunId, gives each a key of its own, and rolls back to failed', async () => {
    const t = tempStore();
    try {
      const db = t.store.connection;
      expect(migrateSqlite(db, { rollback: '006' }).rolledBack).toBe('006_add_snapshot_priority');
      expect(migrateSqlite(db, { rollback: '005' }).rolledBack).toBe('005_alter_scoring_runs');
      const insert = db.prepare(
        `INSERT INTO lead_scoring_runs (RunId, TriggerKind, StartedAt, Status) VALUES (?, 'timer', ?, ?)`,
      );
      insert.run(7, T0, 'succeeded');
      insert.run(9, T0 + 1, 'running');
      expect(migrateSqlite(db).applied).toStrictEqual([
        '005_alter_scoring_runs',
        '006_add_snapshot_priority',
      ]);
      const rows = db.prepare('SELECT RunId, Status, RunKey FROM lead_scoring_runs ORDER BY RunId').all() as {
        RunId: number;
        Status: string;
        RunKey: string;
      }[];
      expect(rows.map((r) => [r.RunId, r.Status])).toStrictEqual([
        [7, 'succeeded'],
        [9, 'running'],
      ]);
      expect(rows.every((r) => /^[0-9a-f]{32}$/.test(r.RunKey))).toBe(true);
      expect(rows[0]!.RunKey).not.toBe(rows[1]!.RunKey);
      db.prepare(`UPDATE lead_scoring_runs SET Status = 'abandoned' WHERE RunId = 9`).run();
      migrateSqlite(db, { rollback: '006' });
      migrateSqlite(db, { rollback: '005' });
      expect(db.prepare('SELECT RunId, Status FROM lead_scoring_runs ORDER BY RunId').all()).toStrictEqual([
        { RunId: 7, Status: 'succeeded' },
        { RunId: 9, Status: 'failed' },
      ]);
      migrateSqlite(db);
    } finally {
      await t.cleanup();
    }
  });
});

describe('migration 006 on an existing embedded database', () => {
  it('adds a NULL AIPriority to the snapshot rows already there, checks 0–100, and rolls back', async () => {
    const t = tempStore();
    try {
      const db = t.store.connection;
      migrateSqlite(db, { rollback: '006' });
      db.prepare(
        `INSERT INTO lead_velocity_snapshots (LeadId, SnapshotDate, HealthScore, VelocityScore, Activity7d, Activity30d,
           CompletedFollowUps7d, Visits7d, UpdatedAt) VALUES (1, '2025-10-13', 40, 50, 1, 2, 1, 0, 0)`,
      ).run();
      expect(migrateSqlite(db).applied).toStrictEqual(['006_add_snapshot_priority']);
      expect(db.prepare('SELECT LeadId, AIPriority FROM lead_velocity_snapshots').all()).toStrictEqual([
        { LeadId: 1, AIPriority: null },
      ]);
      expect(() => db.prepare('UPDATE lead_velocity_snapshots SET AIPriority = 101').run()).toThrow(/CHECK/);
      expect(migrateSqlite(db, { rollback: '006' }).rolledBack).toBe('006_add_snapshot_priority');
      expect(db.prepare('SELECT * FROM lead_velocity_snapshots').get()).not.toHaveProperty('AIPriority');
      migrateSqlite(db);
    } finally {
      await t.cleanup();
    }
  });
});
