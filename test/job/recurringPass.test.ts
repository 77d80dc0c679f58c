import { runScoringJob, scoringInstant, type RunScoringJobOptions } from '../../src/job';
import { DEFAULT_SCORING_CONFIG, MS_PER_DAY } from '../../src/scoring';
import { generateCrm } from '../../src/synthetic/generateCrm';
import {
  AS_OF,
  FIXTURE_FEATURES,
  FIXTURE_FOLLOW_UPS,
  FIXTURE_LEAD,
  FIXTURE_VISITS,
} from '../fixtures/featureFixture';
import { tempStore } from '../helpers/tempStore';

const MORNING = Date.UTC(2025, 9, 14, 9, 30);
const EVENING = Date.UTC(2025, 9, 14, 17, 45);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const SCORES =
  'LeadId, HealthScore, VelocityScore, AIPriority, ConversionProbability, ChurnRisk, FollowUpStatus, OverdueDays, RecommendationJson';

function setup() {
  const t = tempStore();
  generateCrm(t.store.connection, { leads: 300, closedLeads: 0, now: MORNING, seed: 4 });
  const opts = (over: Partial<RunScoringJobOptions>): RunScoringJobOptions => ({
    store: t.store,
    now: MORNING,
    scoring: DEFAULT_SCORING_CONFIG,
    chunkSize: 64,
    trigger: 'timer',
    log: quiet,
    ...over,
  });
  return { ...t, db: t.store.connection, opts };
}

describe('scoringInstant', () => {
  it('is the last millisecond of the UTC day', () => {
    expect(new Date(scoringInstant(MORNING)).toISOString()).toBe('2025-10-14T23:59:59.999Z');
    // midnight and evening of the same day give that day's last millisecond too
    expect(scoringInstant(Date.UTC(2025, 9, 14))).toBe(Date.UTC(2025, 9, 14, 23, 59, 59, 999));
    expect(scoringInstant(EVENING)).toBe(Date.UTC(2025, 9, 14, 23, 59, 59, 999));
  });
});

describe('the recurring pass', () => {
  it('changes nothing when it runs again later the same day on unchanged data, and moves with the next day', async () => {
    const t = setup();
    try {
      await runScoringJob(t.opts({ now: MORNING }));
      const before = t.db.prepare(`SELECT ${SCORES} FROM lead ORDER BY LeadId`).all();
      const evening = await runScoringJob(t.opts({ now: EVENING }));
      expect(evening.rowsChanged).toBe(0);
      expect(evening.rowsUnchanged).toBe(300);
      expect(t.db.prepare(`SELECT ${SCORES} FROM lead ORDER BY LeadId`).all()).toStrictEqual(before);
      const tomorrow = await runScoringJob(t.opts({ now: MORNING + MS_PER_DAY }));
      expect(tomorrow.rowsChanged).toBeGreaterThan(0);
    } finally {
      await t.cleanup();
    }
  });

  it('with SCORES_LAST_UPDATED=on-change writes no row at all for unchanged scores', async () => {
    const t = setup();
    try {
      await runScoringJob(t.opts({ now: MORNING, scoresLastUpdated: 'on-change' }));
      const before = t.db.prepare(`SELECT ${SCORES}, ScoresLastUpdated FROM lead ORDER BY LeadId`).all();
      // an audit trigger, as a CRM might have one: it must not fire for unchanged rows
      t.db.exec(`CREATE TABLE audit (LeadId INTEGER);
        CREATE TRIGGER audit_lead AFTER UPDATE ON lead BEGIN INSERT INTO audit VALUES (NEW.LeadId); END;`);
      const again = await runScoringJob(t.opts({ now: EVENING, scoresLastUpdated: 'on-change' }));
      expect(again.rowsChanged).toBe(0);
      expect(again.rowsUnchanged).toBe(300);
      expect(
        t.db.prepare(`SELECT ${SCORES}, ScoresLastUpdated FROM lead ORDER BY LeadId`).all(),
      ).toStrictEqual(before);
      expect(t.db.prepare('SELECT COUNT(*) FROM audit').pluck().get()).toBe(0);
      // every-run, the guide's meaning: the same pass advances ScoresLastUpdated on every scored row
      const touched = await runScoringJob(t.opts({ now: EVENING + 60_000 }));
      expect(touched.rowsChanged).toBe(0);
      expect(
        t.db
          .prepare('SELECT COUNT(*) FROM lead WHERE ScoresLastUpdated = ?')
          .pluck()
          .get(EVENING + 60_000),
      ).toBe(300);
    } finally {
      await t.cleanup();
    }
  });
});

describe('the feature aggregation as of an instant (embedded store)', () => {
  it('produces the hand-worked features of the fixture lead; a follow-up due this morning is not overdue', async () => {
    const t = tempStore();
    try {
      const db = t.store.connection;
      db.prepare(
        `INSERT INTO lead (LeadId, LeadStatus, CreatedDate, LastContactDate) VALUES (@LeadId, @LeadStatus, @CreatedDate, @LastContactDate)`,
      ).run(FIXTURE_LEAD);
      const fu = db.prepare(
        'INSERT INTO FollowUps (LeadId, DueDate, Status, CompletedDate, CreatedDate) VALUES (1, ?, ?, ?, ?)',
      );
      for (const r of FIXTURE_FOLLOW_UPS) fu.run(...r);
      const vi = db.prepare('INSERT INTO Visit (LeadId, VisitDate) VALUES (1, ?)');
      for (const v of FIXTURE_VISITS) vi.run(v);
      const chunks = [];
      for await (const c of t.store.readScoringInput({ asOf: AS_OF, chunkSize: 10 })) chunks.push(c);
      const f = chunks[0]!.features;
      expect({
        LastContactDate: f.lastContactAt[0],
        LastFollowUpCompletedDate: f.lastFollowUpCompletedAt[0],
        LastVisitDate: f.lastVisitAt[0],
        NextFollowUpDueDate: f.nextFollowUpDueAt[0],
        PendingFollowUps: f.pendingFollowUps[0],
        OverdueFollowUps: f.overdueFollowUps[0],
        CompletedFollowUps: f.completedFollowUps[0],
        CompletedFollowUps7d: f.completedFollowUps7d[0],
        CompletedFollowUps30d: f.completedFollowUps30d[0],
        Visits: f.visits[0],
        Visits7d: f.visits7d[0],
        Visits30d: f.visits30d[0],
      }).toStrictEqual(FIXTURE_FEATURES);
    } finally {
      await t.cleanup();
    }
  });
});
