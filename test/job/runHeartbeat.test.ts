import { RunInterruptedError, RunLockLostError } from '../../src/errors';
import { runScoringJob, type RunScoringJobOptions } from '../../src/job';
import { DEFAULT_SCORING_CONFIG } from '../../src/scoring';
import type { LeadStore, RunLock } from '../../src/store/leadStore';
import { SqliteLeadStore } from '../../src/store/sqlite/sqliteLeadStore';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { tempStore } from '../helpers/tempStore';

const NOW = Date.UTC(2025, 9, 14, 9, 30);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The store, with every chunk of the scoring input arriving `delayMs` late (as over a slow network). */
function slowReads(store: LeadStore, delayMs: number): LeadStore {
  const slow = Object.create(store) as LeadStore;
  slow.readScoringInput = async function* (o) {
    for await (const chunk of store.readScoringInput(o)) {
      await sleep(delayMs);
      yield chunk;
    }
  };
  return slow;
}

/** The store, with its run lock's renewals counted and its lease set to `leaseMs`. */
function countedLock(store: LeadStore, leaseMs: number): { store: LeadStore; renewals: () => number } {
  let renewals = 0;
  const counted = Object.create(store) as LeadStore;
  counted.acquireRunLock = async (owner) => {
    const lock = await store.acquireRunLock(owner);
    return {
      leaseMs,
      renew: () => {
        renewals++;
        return lock.renew();
      },
      release: () => lock.release(),
    } satisfies RunLock;
  };
  return { store: counted, renewals: () => renewals };
}

function setup(leads: number) {
  const t = tempStore();
  generateCrm(t.store.connection, { leads, closedLeads: 0, now: NOW, seed: 11 });
  const opts = (over: Partial<RunScoringJobOptions>): RunScoringJobOptions => ({
    store: t.store,
    now: NOW,
    scoring: DEFAULT_SCORING_CONFIG,
    chunkSize: 100,
    trigger: 'cli',
    log: quiet,
    ...over,
  });
  const lastRun = () =>
    t.store.connection
      .prepare('SELECT Status, ErrorCode FROM lead_scoring_runs ORDER BY RunId DESC LIMIT 1')
      .get() as { Status: string; ErrorCode: string | null };
  return { ...t, opts, lastRun };
}

describe('runScoringJob: the run lock’s heartbeat', () => {
  it('renews the lease on a timer while the run lives, not once per chunk', async () => {
    const t = setup(300); // 3 chunks
    try {
      // a lease far longer than the run: its heartbeat (every quarter lease) never comes round, whatever the chunks
      const long = countedLock(slowReads(t.store, 20), 3_600_000);
      await expect(runScoringJob(t.opts({ store: long.store }))).resolves.toMatchObject({
        status: 'succeeded',
      });
      expect(long.renewals()).toBe(0);
      // a lease of 80 ms (heartbeat every 20 ms) and a single chunk that takes 200 ms: renewed during the chunk
      const short = countedLock(slowReads(t.store, 200), 80);
      await expect(runScoringJob(t.opts({ store: short.store, chunkSize: 1000 }))).resolves.toMatchObject({
        status: 'succeeded',
      });
      expect(short.renewals()).toBeGreaterThanOrEqual(4);
    } finally {
      await t.cleanup();
    }
  });

  it('stops the run when the heartbeat finds the lock taken over: failed with RUN_LOCK_LOST', async () => {
    const t = setup(1000); // 10 chunks of 100, 30 ms each
    const other = SqliteLeadStore.open(t.path, { clock: () => Date.now() + 3_600_000 }); // sees the lease as expired
    try {
      const run = runScoringJob(t.opts({ store: countedLock(slowReads(t.store, 30), 40).store }));
      await sleep(50);
      const taker = await other.acquireRunLock('took-over');
      const error = (await run.catch((e: unknown) => e)) as RunLockLostError;
      expect(error).toBeInstanceOf(RunLockLostError);
      expect(error.message).toMatch(/^The run lock was taken over by another run/);
      expect(t.lastRun()).toStrictEqual({ Status: 'failed', ErrorCode: 'RUN_LOCK_LOST' });
      // the stopped run did not release the lock it no longer held
      expect(t.store.connection.prepare('SELECT Owner FROM lead_scoring_lock').get()).toStrictEqual({
        Owner: 'took-over',
      });
      await taker.release();
    } finally {
      await other.close();
      await t.cleanup();
    }
  });
});

describe('runScoringJob: its AbortSignal', () => {
  it('stops at the next chunk, records the run as failed with RUN_INTERRUPTED and releases the lock', async () => {
    const t = setup(500);
    try {
      const controller = new AbortController();
      let chunks = 0;
      const error = (await runScoringJob(
        t.opts({
          onProgress: () => {
            if (++chunks === 2) controller.abort(new RunInterruptedError('SIGTERM received', 'SIGTERM'));
          },
          signal: controller.signal,
        }),
      ).catch((e: unknown) => e)) as RunInterruptedError;
      expect(error).toBeInstanceOf(RunInterruptedError);
      expect(error.signal).toBe('SIGTERM');
      expect(chunks).toBe(2); // the third chunk was never read
      expect(t.lastRun()).toStrictEqual({ Status: 'failed', ErrorCode: 'RUN_INTERRUPTED' });
      const [row] = await t.store.listRuns(1);
      expect(row).toMatchObject({
        leadsScored: 200,
        errorMessage: 'The run was interrupted (SIGTERM received) and recorded as failed',
      });
      // the lock is free: the next run starts at once
      await expect(runScoringJob(t.opts({}))).resolves.toMatchObject({
        status: 'succeeded',
        leadsScored: 500,
      });
    } finally {
      await t.cleanup();
    }
  });
});
