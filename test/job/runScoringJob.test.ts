import { RunLockedError } from '../../src/errors';
import { runScoringJob, type JobLogger, type RunScoringJobOptions } from '../../src/job';
import { DEFAULT_SCORING_CONFIG, MS_PER_DAY } from '../../src/scoring';
import { NO_DATA_ISSUES, type LeadStore } from '../../src/store/leadStore';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { tempStore } from '../helpers/tempStore';

const NOW = Date.UTC(2025, 9, 14, 9, 30);

function recorder(): JobLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`WARN ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
}

function setup(leads = 300, closed = 100) {
  const t = tempStore();
  generateCrm(t.store.connection, { leads, closedLeads: closed, now: NOW, seed: 7 });
  const db = t.store.connection;
  const opts = (over: Partial<RunScoringJobOptions> = {}): RunScoringJobOptions => ({
    store: t.store,
    now: NOW,
    scoring: DEFAULT_SCORING_CONFIG,
    chunkSize: 128,
    trigger: 'cli',
    log: recorder(),
    ...over,
  });
  return { ...t, db, opts };
}

const SCORE_COLS =
  'HealthScore, VelocityScore, AIPriority, ConversionProbability, ChurnRisk, FollowUpStatus, OverdueDays, RecommendationJson, ScoresLastUpdated';
const CRM_COLS =
  'LeadId, FirstName, LastName, Company, Email, LeadStatus, LeadSource, EstimatedValue, OwnerUserId, CreatedDate, StatusChangedDate, LastContactDate, ClosedDate, ModifiedDate';

describe('runScoringJob on the embedded store', () => {
  it('scores every active lead with all nine columns in range and leaves closed leads untouched', async () => {
    const t = setup();
    try {
      const log = recorder();
      const summary = await runScoringJob(t.opts({ log }));
      expect(summary.status).toBe('succeeded');
      expect(summary.leadsRead).toBe(300);
      expect(summary.leadsScored).toBe(300);
      expect(summary.rowsChanged).toBe(300);
      expect(summary.snapshotsWritten).toBe(300);
      expect(Object.values(summary.churnRisk).reduce((a, b) => a + b)).toBe(300);
      const active = t.db
        .prepare(`SELECT ${SCORE_COLS} FROM lead WHERE LeadStatus NOT IN ('Won', 'Lost')`)
        .all() as Record<string, unknown>[];
      expect(active).toHaveLength(300);
      for (const r of active) {
        for (const c of ['HealthScore', 'VelocityScore', 'AIPriority'])
          expect(r[c]).toEqual(expect.any(Number));
        expect(r.HealthScore as number).toBeLessThanOrEqual(100);
        expect(r.ConversionProbability as number).toBeGreaterThanOrEqual(0);
        expect(['low', 'medium', 'high', 'critical']).toContain(r.ChurnRisk);
        expect(['none', 'overdue', 'today', 'this_week', 'scheduled']).toContain(r.FollowUpStatus);
        expect(r.OverdueDays as number).toBeGreaterThanOrEqual(0);
        expect(JSON.parse(r.RecommendationJson as string)).toMatchObject({
          priority: expect.any(String),
          action: expect.any(String),
        });
        expect(r.ScoresLastUpdated).toBe(NOW);
      }
      const closedScored = t.db
        .prepare(
          `SELECT COUNT(*) AS n FROM lead WHERE LeadStatus IN ('Won', 'Lost') AND (HealthScore IS NOT NULL OR ScoresLastUpdated IS NOT NULL)`,
        )
        .get() as { n: number };
      expect(closedScored.n).toBe(0);
      expect(log.lines).toEqual(
        expect.arrayContaining([
          'Starting vectorized score update for all active leads...',
          expect.stringMatching(/^Loaded the first 128 active leads; scoring chunk by chunk/),
          'Loaded 300 active leads',
          expect.stringMatching(/^Data loading complete \(read: \d+ ms\)$/),
          expect.stringMatching(
            /^Calculated health, velocity, AI priority, churn risk, conversion probability and follow-up status \(score: \d+ ms\)$/,
          ),
          expect.stringMatching(/^Generated AI recommendations \(render: \d+ ms\)$/),
          expect.stringMatching(
            /^Wrote scores \(write: \d+ ms\) and the day's snapshots \(snapshot: \d+ ms\)$/,
          ),
          expect.stringMatching(/^✅ Score update completed! Updated 300 leads in \d+\.\d\d seconds$/),
          expect.stringMatching(/^Performance: \d+ leads\/second$/),
        ]),
      );
      // real stages in real order: the first chunk, then the stage lines, then the completion
      const at = (re: RegExp): number => log.lines.findIndex((l) => re.test(l));
      expect(at(/^Loaded the first/)).toBeLessThan(at(/^Loaded 300/));
      expect(at(/^Loaded 300/)).toBeLessThan(at(/^Calculated /));
      expect(at(/^Calculated /)).toBeLessThan(at(/^Generated /));
      expect(at(/^Generated /)).toBeLessThan(at(/^Wrote scores/));
      expect(at(/^Wrote scores/)).toBeLessThan(at(/^✅/));
      const run = await t.store.getRun(summary.runId!);
      expect(run).toMatchObject({
        status: 'succeeded',
        trigger: 'cli',
        leadsScored: 300,
        rowsChanged: 300,
        snapshotsWritten: 300,
      });
    } finally {
      await t.cleanup();
    }
  });

  it('is idempotent: a second run the same day rewrites no scores, duplicates no snapshot, and advances ScoresLastUpdated', async () => {
    const t = setup();
    try {
      await runScoringJob(t.opts());
      const before = t.db.prepare(`SELECT LeadId, ${SCORE_COLS} FROM lead ORDER BY LeadId`).all() as Record<
        string,
        unknown
      >[];
      const later = NOW + 60_000;
      const second = await runScoringJob(t.opts({ now: later }));
      expect(second.rowsChanged).toBe(0);
      expect(second.rowsUnchanged).toBe(300);
      const snapshots = t.db
        .prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT LeadId) AS leads FROM lead_velocity_snapshots')
        .get();
      expect(snapshots).toStrictEqual({ n: 300, leads: 300 });
      const after = t.db.prepare(`SELECT LeadId, ${SCORE_COLS} FROM lead ORDER BY LeadId`).all() as Record<
        string,
        unknown
      >[];
      after.forEach((row, i) => {
        const prev = before[i]!;
        expect({ ...row, ScoresLastUpdated: 0 }).toStrictEqual({ ...prev, ScoresLastUpdated: 0 });
        if (prev.HealthScore !== null) expect(row.ScoresLastUpdated).toBe(later);
      });
    } finally {
      await t.cleanup();
    }
  });

  it('rewrites only the lead whose data changed', async () => {
    const t = setup();
    try {
      await runScoringJob(t.opts());
      const lead = t.db
        .prepare(`SELECT LeadId FROM lead WHERE LeadStatus = 'Qualified' ORDER BY LeadId LIMIT 1`)
        .get() as { LeadId: number };
      // recorded before the run's instant (a follow-up created after it does not count yet)
      t.db
        .prepare(`INSERT INTO FollowUps (LeadId, DueDate, Status, CreatedDate) VALUES (?, ?, 'Pending', ?)`)
        .run(lead.LeadId, NOW - 40 * MS_PER_DAY, NOW - 41 * MS_PER_DAY);
      const second = await runScoringJob(t.opts({ now: NOW + 1000 }));
      expect(second.rowsChanged).toBe(1);
      const row = t.db
        .prepare('SELECT OverdueDays, FollowUpStatus FROM lead WHERE LeadId = ?')
        .get(lead.LeadId);
      expect(row).toStrictEqual({ OverdueDays: 40, FollowUpStatus: 'overdue' });
    } finally {
      await t.cleanup();
    }
  });

  it('never changes a non-score column of lead, FollowUps or Visit', async () => {
    const t = setup();
    try {
      const dump = () => ({
        lead: t.db.prepare(`SELECT ${CRM_COLS} FROM lead ORDER BY LeadId`).all(),
        followUps: t.db.prepare('SELECT * FROM FollowUps ORDER BY FollowUpId').all(),
        visits: t.db.prepare('SELECT * FROM Visit ORDER BY VisitId').all(),
      });
      const before = dump();
      await runScoringJob(t.opts());
      await runScoringJob(t.opts({ leadIds: [1, 2, 3] }));
      expect(dump()).toStrictEqual(before);
    } finally {
      await t.cleanup();
    }
  });

  it('rescores only the given leads on a subset rerun', async () => {
    const t = setup();
    try {
      const closed = t.db
        .prepare(`SELECT LeadId FROM lead WHERE LeadStatus IN ('Won', 'Lost') LIMIT 1`)
        .pluck()
        .get() as number;
      const log = recorder();
      const summary = await runScoringJob(t.opts({ leadIds: [5, 6, 7, 100_000, closed], log }));
      expect(summary.requestedLeads).toBe(5);
      expect(summary.leadsScored).toBe(3);
      // an unknown and a closed lead are named, not silently dropped
      expect(summary.requestedNotScored).toStrictEqual([100_000, closed]);
      expect(log.lines).toContain(
        `WARN 2 of 5 requested leads were not scored (no such lead, or not active): 100000, ${closed}`,
      );
      const scored = t.db
        .prepare('SELECT LeadId FROM lead WHERE ScoresLastUpdated IS NOT NULL ORDER BY LeadId')
        .all();
      expect(scored).toStrictEqual([{ LeadId: 5 }, { LeadId: 6 }, { LeadId: 7 }]);
      expect(t.db.prepare('SELECT COUNT(*) AS n FROM lead_velocity_snapshots').get()).toStrictEqual({ n: 3 });
    } finally {
      await t.cleanup();
    }
  });

  it('writes nothing on a dry run and returns the computed scores for the given leads', async () => {
    const t = setup();
    try {
      const summary = await runScoringJob(t.opts({ leadIds: [1, 2], dryRun: true }));
      expect(summary.runId).toBeNull();
      expect(summary.rowsChanged).toBe(0);
      expect(summary.results?.map((r) => r.leadId)).toStrictEqual([1, 2]);
      expect(summary.results?.[0]?.recommendation.message).toEqual(expect.any(String));
      expect(
        t.db.prepare('SELECT COUNT(*) AS n FROM lead WHERE ScoresLastUpdated IS NOT NULL').get(),
      ).toStrictEqual({ n: 0 });
      expect(t.db.prepare('SELECT COUNT(*) AS n FROM lead_velocity_snapshots').get()).toStrictEqual({ n: 0 });
      expect(t.db.prepare('SELECT COUNT(*) AS n FROM lead_scoring_runs').get()).toStrictEqual({ n: 0 });
    } finally {
      await t.cleanup();
    }
  });

  it('lets exactly one of two concurrent runs write; the other gets RUN_LOCKED with the holder’s start time', async () => {
    const t = setup();
    const { SqliteLeadStore } = await import('../../src/store/sqlite/sqliteLeadStore');
    const other = SqliteLeadStore.open(t.path);
    try {
      // The first run pauses between chunks, as a long run over the network would.
      const slow: LeadStore = Object.create(t.store) as LeadStore;
      slow.readScoringInput = async function* (o) {
        for await (const chunk of t.store.readScoringInput(o)) {
          await new Promise((r) => setTimeout(r, 20));
          yield chunk;
        }
      };
      const first = runScoringJob(t.opts({ store: slow }));
      await new Promise((r) => setTimeout(r, 5));
      const second = runScoringJob(t.opts({ store: other }));
      const [a, b] = await Promise.allSettled([first, second]);
      expect(a.status).toBe('fulfilled');
      expect(b.status).toBe('rejected');
      const error = (b as PromiseRejectedResult).reason as RunLockedError;
      expect(error).toBeInstanceOf(RunLockedError);
      expect(error.code).toBe('RUN_LOCKED');
      expect(error.holderStartedAt).toBeInstanceOf(Date);
      expect(error.message).toMatch(
        /^Another scoring run \(id 1\) has held the run lock since \d{4}-\d\d-\d\dT/,
      );
      expect(t.db.prepare('SELECT COUNT(*) AS n FROM lead_scoring_runs').get()).toStrictEqual({ n: 1 });
      // the lock is released: a third run goes through
      await expect(runScoringJob(t.opts({ store: other }))).resolves.toMatchObject({ status: 'succeeded' });
    } finally {
      await other.close();
      await t.cleanup();
    }
  });

  it('takes over a lock whose holder died (expired), and not one still alive', async () => {
    let clock = NOW;
    const t = tempStore({ clock: () => clock, leaseMs: 60_000 });
    try {
      generateCrm(t.store.connection, { leads: 10, closedLeads: 0, now: NOW });
      await t.store.acquireRunLock('crashed-process'); // never released
      await expect(t.store.acquireRunLock('next-run')).rejects.toBeInstanceOf(RunLockedError);
      clock += 61_000;
      const lock = await t.store.acquireRunLock('next-run');
      await lock.release();
    } finally {
      await t.cleanup();
    }
  });

  it('marks the run failed, keeps committed chunks, releases the lock and rethrows when a write fails', async () => {
    const t = setup();
    try {
      const failing: LeadStore = Object.create(t.store) as LeadStore;
      let calls = 0;
      failing.writeScores = (chunk) => {
        calls++;
        if (calls === 2) return Promise.reject(new Error('disk full'));
        return t.store.writeScores(chunk);
      };
      const log = recorder();
      await expect(runScoringJob(t.opts({ store: failing, log }))).rejects.toThrow('disk full');
      const run = await t.store.getRun(1);
      // chunks of 128: the first chunk's write went through (128 rows), the second chunk was scored (128 + 128 =
      // 256 leads) and its write failed
      expect(run).toMatchObject({
        status: 'failed',
        errorCode: 'UNEXPECTED',
        errorMessage: 'disk full',
        leadsScored: 256,
        rowsChanged: 128,
      });
      expect(
        t.db.prepare('SELECT COUNT(*) AS n FROM lead WHERE HealthScore IS NOT NULL').get(),
      ).toStrictEqual({ n: 128 });
      expect(log.lines).toContain('ERROR ❌ Score update failed after 256 leads: disk full');
      await expect(runScoringJob(t.opts())).resolves.toMatchObject({
        status: 'succeeded',
        rowsChanged: 300 - 128,
      });
    } finally {
      await t.cleanup();
    }
  });

  it('scores bad rows with documented fallbacks and counts them, never writing an out-of-range value', async () => {
    const t = tempStore();
    try {
      const db = t.store.connection;
      const ins = db.prepare(
        `INSERT INTO lead (LeadId, LeadStatus, LeadSource, EstimatedValue, CreatedDate, StatusChangedDate, LastContactDate) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      ins.run(1, 'Qualified', 'Website', 5000, NOW - 10 * MS_PER_DAY, null, null); // NULL dates
      ins.run(2, 'Contacted', 'Website', null, NOW - 10 * MS_PER_DAY, 'last tuesday', 'n/a'); // garbage dates
      ins.run(3, 'Prospecting', 'Carrier pigeon', 100, NOW - 10 * MS_PER_DAY, null, null); // unknown status and source
      ins.run(4, null, null, -50, NOW - 10 * MS_PER_DAY, null, null); // NULL status, negative value
      ins.run(5, 'New', 'Email', 1e300, -62_000_000_000_000, 253_400_000_000_000, 253_400_000_000_000); // absurd values and dates
      ins.run(6, 'Won', 'Email', 100, NOW - 10 * MS_PER_DAY, null, null); // closed: not scored
      db.prepare(`INSERT INTO FollowUps (LeadId, DueDate, Status) VALUES (999, ?, 'Pending')`).run(
        NOW - MS_PER_DAY,
      ); // orphan
      db.prepare(`INSERT INTO FollowUps (LeadId, DueDate, Status) VALUES (2, 'soon', 'Pending')`).run(); // garbage due date
      // created before the run (a follow-up created after the run's instant does not exist yet for it)
      db.prepare(
        `INSERT INTO FollowUps (LeadId, DueDate, Status, CreatedDate) VALUES (5, ?, 'Pending', ?)`,
      ).run(-62_000_000_000_000, NOW - 2 * MS_PER_DAY); // year 5
      const summary = await runScoringJob({
        store: t.store,
        now: NOW,
        scoring: DEFAULT_SCORING_CONFIG,
        chunkSize: 100,
        trigger: 'cli',
        log: recorder(),
      });
      expect(summary.leadsScored).toBe(5);
      // lead 5's contact dated in the year 9999 is after the run's instant: not a contact yet (read as missing by the
      // view, as any later activity), so it is not counted among the invalid dates
      expect(summary.dataIssues).toStrictEqual({ ...NO_DATA_ISSUES, invalidDates: 2, unknownStatuses: 2 });
      const rows = db
        .prepare(
          `SELECT LeadId, HealthScore, ChurnRisk, FollowUpStatus, OverdueDays FROM lead ORDER BY LeadId`,
        )
        .all();
      expect(rows).toStrictEqual([
        {
          LeadId: 1,
          HealthScore: expect.any(Number),
          ChurnRisk: expect.any(String),
          FollowUpStatus: 'none',
          OverdueDays: 0,
        },
        {
          LeadId: 2,
          HealthScore: expect.any(Number),
          ChurnRisk: expect.any(String),
          FollowUpStatus: 'none',
          OverdueDays: 0,
        },
        {
          LeadId: 3,
          HealthScore: expect.any(Number),
          ChurnRisk: expect.any(String),
          FollowUpStatus: 'none',
          OverdueDays: 0,
        },
        {
          LeadId: 4,
          HealthScore: expect.any(Number),
          ChurnRisk: expect.any(String),
          FollowUpStatus: 'none',
          OverdueDays: 0,
        },
        {
          LeadId: 5,
          HealthScore: expect.any(Number),
          ChurnRisk: 'critical',
          FollowUpStatus: 'overdue',
          OverdueDays: 36_500, // due in the year 5: capped at 100 years, 100 · 365 days
        },
        { LeadId: 6, HealthScore: null, ChurnRisk: null, FollowUpStatus: null, OverdueDays: null },
      ]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM FollowUps').get()).toStrictEqual({ n: 3 });
    } finally {
      await t.cleanup();
    }
  });
});
