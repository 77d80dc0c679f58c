import { allocateLeadScores, CHURN_RISKS, FOLLOW_UP_STATUSES } from '../../../src/scoring';
import { tempStore } from '../../helpers/tempStore';

const T0 = Date.UTC(2025, 9, 14, 9, 30);
const T1 = T0 + 30 * 60_000;

/** Leads 1–3 and 5000 in the guide's lead table, nothing scored yet. */
function setup() {
  const t = tempStore();
  const db = t.store.connection;
  const insert = db.prepare(
    `INSERT INTO lead (LeadId, FirstName, LeadStatus, LeadSource, CreatedDate) VALUES (?, 'x', 'New', 'Website', ?)`,
  );
  for (const id of [1, 2, 3, 5000]) insert.run(id, T0 - 86_400_000);
  // every UPDATE that reaches a lead row, of any column, is counted (as an audit trigger would see it)
  db.exec(`CREATE TABLE updates (LeadId INTEGER, Kind TEXT);
    CREATE TRIGGER count_updates AFTER UPDATE ON lead BEGIN
      INSERT INTO updates VALUES (NEW.LeadId, CASE WHEN NEW.HealthScore IS OLD.HealthScore
        AND NEW.RecommendationJson IS OLD.RecommendationJson THEN 'touch' ELSE 'scores' END);
    END;`);
  return { ...t, db };
}

/** A chunk for `ids`, every lead with health `health` and the same other eight values. */
function chunk(ids: number[], health: number, scoredAt: number, touchUnchanged: boolean) {
  const s = allocateLeadScores(Int32Array.from(ids));
  s.health.fill(health);
  s.velocity.fill(50);
  s.priority.fill(40);
  s.conversion.fill(12.34);
  s.churnRisk.fill(CHURN_RISKS.indexOf('medium'));
  s.followUpStatus.fill(FOLLOW_UP_STATUSES.indexOf('overdue'));
  s.overdueDays.fill(3);
  return {
    scores: s,
    recommendationJson: ids.map((id) => `{"lead":${id},"message":"🔴 call"}`),
    scoredAt,
    touchUnchanged,
  };
}

describe('SqliteScoreWriter.writeScores', () => {
  it('writes every row the first time, then sends no UPDATE to an unchanged row with on-change', async () => {
    const t = setup();
    try {
      expect(await t.store.writeScores(chunk([1, 2, 3], 70, T0, true))).toStrictEqual({
        changed: 3,
        unchanged: 0,
        missing: 0,
      });
      t.db.exec('DELETE FROM updates');
      // lead 2's health moved; 1 and 3 did not
      const next = chunk([1, 2, 3], 70, T1, false);
      next.scores.health[1] = 71;
      expect(await t.store.writeScores(next)).toStrictEqual({ changed: 1, unchanged: 2, missing: 0 });
      expect(t.db.prepare('SELECT LeadId, Kind FROM updates').all()).toStrictEqual([
        { LeadId: 2, Kind: 'scores' },
      ]);
      expect(
        t.db
          .prepare('SELECT LeadId, HealthScore, ScoresLastUpdated FROM lead WHERE LeadId < 4 ORDER BY 1')
          .all(),
      ).toStrictEqual([
        { LeadId: 1, HealthScore: 70, ScoresLastUpdated: T0 },
        { LeadId: 2, HealthScore: 71, ScoresLastUpdated: T1 },
        { LeadId: 3, HealthScore: 70, ScoresLastUpdated: T0 },
      ]);
    } finally {
      await t.cleanup();
    }
  });

  it('with every-run advances only ScoresLastUpdated on unchanged rows, and never rewrites their scores', async () => {
    const t = setup();
    try {
      await t.store.writeScores(chunk([1, 2, 3], 70, T0, true));
      t.db.exec('DELETE FROM updates');
      expect(await t.store.writeScores(chunk([1, 2, 3], 70, T1, true))).toStrictEqual({
        changed: 0,
        unchanged: 3,
        missing: 0,
      });
      expect(t.db.prepare('SELECT DISTINCT Kind FROM updates').pluck().all()).toStrictEqual(['touch']);
      expect(
        t.db.prepare('SELECT DISTINCT ScoresLastUpdated FROM lead WHERE LeadId < 4').pluck().all(),
      ).toStrictEqual([T1]);
    } finally {
      await t.cleanup();
    }
  });

  it('counts a lead deleted since the read as missing and writes nothing for it, dense or sparse chunk', async () => {
    const t = setup();
    try {
      t.db.prepare('DELETE FROM lead WHERE LeadId IN (2, 5000)').run();
      // [1, 2, 3]: a key range; [1, 3, 5000]: keys far apart relative to their count, read by key set
      expect(await t.store.writeScores(chunk([1, 2, 3], 70, T0, true))).toStrictEqual({
        changed: 2,
        unchanged: 0,
        missing: 1,
      });
      expect(await t.store.writeScores(chunk([1, 3, 5000], 70, T1, true))).toStrictEqual({
        changed: 0,
        unchanged: 2,
        missing: 1,
      });
      expect(t.db.prepare('SELECT COUNT(*) FROM lead WHERE HealthScore IS NOT NULL').pluck().get()).toBe(2);
    } finally {
      await t.cleanup();
    }
  });

  it('treats a JSON text that differs by one character as a change', async () => {
    const t = setup();
    try {
      await t.store.writeScores(chunk([1], 70, T0, false));
      const next = chunk([1], 70, T1, false);
      next.recommendationJson[0] = '{"lead":1,"message":"🔴 Call"}';
      expect(await t.store.writeScores(next)).toStrictEqual({ changed: 1, unchanged: 0, missing: 0 });
      expect(t.db.prepare('SELECT RecommendationJson FROM lead WHERE LeadId = 1').pluck().get()).toBe(
        '{"lead":1,"message":"🔴 Call"}',
      );
    } finally {
      await t.cleanup();
    }
  });
});
