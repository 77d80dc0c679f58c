import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RunLockedError } from '../../src/errors';
import { SqliteLeadStore } from '../../src/store/sqlite/sqliteLeadStore';

/**
 * `lead-intel run` as a real child process (the compiled CLI, as a user or a scheduler starts it) on an embedded
 * database large enough for the run to take a few seconds, stopped by SIGTERM or killed by kill -9 after its first
 * chunk.
 */
const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const LEADS = 20_000;
const LEASE = 120_000; // RUN_LOCK_LEASE_SECONDS' default
const exec = promisify(execFile);

let dir = '';
let db = '';
const env = () => ({
  ...process.env,
  LEAD_INTEL_SQLITE_PATH: db,
  SCORING_CHUNK_SIZE: '100', // 200 chunks: seconds of work, a chunk boundary every few milliseconds
  MODEL_ENABLED: 'false',
});

/** Starts `lead-intel run` and resolves once its first chunk is scored (the guide's stage lines are logged then). */
async function runStarted(): Promise<{
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<[number | null, string | null]>;
}> {
  const child = spawn(process.execPath, [MAIN, 'run'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exit = new Promise<[number | null, string | null]>((resolve) =>
    child.on('exit', (code, signal) => resolve([code, signal])),
  );
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('scoring chunk by chunk')) resolve();
    });
    void exit.then(() => reject(new Error(`the run ended before its first chunk: ${stderr}`)));
  });
  return { child, stderr: () => stderr, exit };
}

/**
 * The run inserted last (highest RunId), not the newest by StartedAt: the kill -9 test starts a run one lease in the
 * future, which would otherwise be "the last run" of whichever test runs after it (jest --randomize).
 */
const lastRun = async (store: SqliteLeadStore) => {
  const id = store.connection.prepare('SELECT MAX(RunId) FROM lead_scoring_runs').pluck().get() as number;
  return (await store.getRun(id))!;
};

beforeAll(async () => {
  await exec(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.build.json'],
    {
      cwd: ROOT,
    },
  );
  dir = mkdtempSync(join(tmpdir(), 'lead-intel-signals-'));
  db = join(dir, 'leads.db');
  await exec(process.execPath, [MAIN, 'seed', '--leads', String(LEADS), '--closed', '100'], { env: env() });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lead-intel run stopped by a signal (a real child process)', () => {
  it('on SIGTERM: exits 143, the run row reads failed / RUN_INTERRUPTED, and a new run starts at once', async () => {
    const run = await runStarted();
    run.child.kill('SIGTERM');
    expect(await run.exit).toStrictEqual([143, null]);
    expect(run.stderr()).toContain(
      'WARNING:  SIGTERM: stopping after the current chunk and recording the run as failed (send it again to quit now)',
    );
    expect(run.stderr()).toContain(
      'lead-intel: RUN_INTERRUPTED: The run was interrupted (SIGTERM received) and recorded as failed',
    );
    const store = SqliteLeadStore.open(db);
    try {
      const row = await lastRun(store);
      expect(row).toMatchObject({ trigger: 'cli', status: 'failed', errorCode: 'RUN_INTERRUPTED' });
      expect(row.leadsScored).toBeGreaterThan(0);
      expect(row.leadsScored).toBeLessThan(LEADS);
      expect(store.connection.prepare('SELECT COUNT(*) AS n FROM lead_scoring_lock').get()).toStrictEqual({
        n: 0,
      });
    } finally {
      await store.close();
    }
    // the next run does not wait for any lease
    const next = await exec(process.execPath, [MAIN, 'run', '--json'], {
      env: { ...env(), SCORING_CHUNK_SIZE: '5000' },
    });
    expect(JSON.parse(next.stdout) as unknown).toMatchObject({ status: 'succeeded', leadsScored: LEADS });
  }, 60_000);

  it('on kill -9: the lock blocks the next run only until its lease expires, then the dead row reads abandoned', async () => {
    const run = await runStarted();
    run.child.kill('SIGKILL');
    expect(await run.exit).toStrictEqual([null, 'SIGKILL']);
    const killedAt = Date.now();

    // now: locked, and the message says until when (at most one lease from now, the last heartbeat being earlier)
    const now = SqliteLeadStore.open(db);
    try {
      const error = (await now.acquireRunLock('next-run').catch((e: unknown) => e)) as RunLockedError;
      expect(error).toBeInstanceOf(RunLockedError);
      expect(error.message).toMatch(/; the lock expires at \S+ unless that run renews it$/);
      expect(error.lockExpiresAt!.getTime()).toBeGreaterThan(killedAt);
      expect(error.lockExpiresAt!.getTime()).toBeLessThanOrEqual(killedAt + LEASE);
      expect((await lastRun(now)).status).toBe('running');
    } finally {
      await now.close();
    }

    // one lease later (an injected clock, so the test need not wait two minutes): the next run takes over and starts
    const later = SqliteLeadStore.open(db, { clock: () => killedAt + LEASE });
    try {
      const dead = await lastRun(later);
      const lock = await later.acquireRunLock('next-run');
      await later.startRun({
        runKey: '3c9d2f4e-7a1b-4e8c-9f0a-6b5d4c3e2a10',
        trigger: 'cli',
        startedAt: killedAt + LEASE,
        requestedLeads: null,
      });
      expect(await later.getRun(dead.runId)).toMatchObject({
        status: 'abandoned',
        errorCode: 'RUN_ABANDONED',
        finishedAt: null,
      });
      await lock.release();
    } finally {
      await later.close();
    }
  }, 60_000);
});
