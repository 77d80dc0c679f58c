import { allocateLeadScores } from '../../../src/scoring';
import type { ScoreWriteChunk } from '../../../src/store/leadStore';
import { generateCrm } from '../../../src/synthetic/generateCrm';
import { tempStore } from '../../helpers/tempStore';

/**
 * The embedded store's change check, through the store's public writeScores on a real SQLite file: an unchanged row
 * is never rewritten (an AFTER UPDATE trigger, as a CRM's audit might have, counts the writes).
 */
const T0 = Date.UTC(2025, 9, 14, 9, 30);

function setup() {
  const t = tempStore();
  generateCrm(t.store.connection, { leads: 5, closedLeads: 0, now: T0, seed: 3 });
  const ids = t.store.connection
    .prepare('SELECT LeadId FROM lead ORDER BY LeadId LIMIT 5')
    .pluck()
    .all() as number[];
  t.store.connection.exec(`CREATE TABLE audit (LeadId INTEGER);
    CREATE TRIGGER audit_lead AFTER UPDATE ON lead BEGIN INSERT INTO audit VALUES (NEW.LeadId); END;`);
  const audited = () => t.store.connection.prepare('SELECT COUNT(*) FROM audit').pluck().get() as number;
  function chunk(
    action: (i: number) => string,
    o: { scoredAt?: number; touchUnchanged?: boolean; health?: number } = {},
  ): ScoreWriteChunk {
    const scores = allocateLeadScores(Int32Array.from(ids));
    scores.health.fill(o.health ?? 60);
    scores.conversion.fill(12.5);
    return {
      scores,
      recommendationJson: ids.map((_, i) => JSON.stringify({ action: action(i) })),
      scoredAt: o.scoredAt ?? T0,
      touchUnchanged: o.touchUnchanged ?? false,
    };
  }
  return { t, ids, audited, chunk };
}

describe('SqliteScoreWriter.writeScores', () => {
  it('does not rewrite a row whose nine values are unchanged (on-change: no write at all)', async () => {
    const { t, audited, chunk } = setup();
    try {
      const same = () => 'Call now';
      await expect(t.store.writeScores(chunk(same))).resolves.toStrictEqual({
        changed: 5,
        unchanged: 0,
        missing: 0,
      });
      expect(audited()).toBe(5);
      await expect(t.store.writeScores(chunk(same, { scoredAt: T0 + 3_600_000 }))).resolves.toStrictEqual({
        changed: 0,
        unchanged: 5,
        missing: 0,
      });
      expect(audited()).toBe(5); // no trigger fired: nothing was written
      expect(
        t.store.connection
          .prepare('SELECT DISTINCT ScoresLastUpdated FROM lead WHERE HealthScore = 60')
          .pluck()
          .all(),
      ).toStrictEqual([T0]);
    } finally {
      await t.cleanup();
    }
  });

  it('rewrites exactly the rows that changed, a JSON differing in letter case only included', async () => {
    const { t, ids, audited, chunk } = setup();
    try {
      await t.store.writeScores(chunk(() => 'Call now'));
      const next = (i: number) => (i === 2 ? 'call now' : 'Call now');
      await expect(t.store.writeScores(chunk(next, { scoredAt: T0 + 1 }))).resolves.toStrictEqual({
        changed: 1,
        unchanged: 4,
        missing: 0,
      });
      expect(t.store.connection.prepare('SELECT LeadId FROM audit').pluck().all()).toStrictEqual([
        ...ids,
        ids[2],
      ]);
      expect(audited()).toBe(6);
    } finally {
      await t.cleanup();
    }
  });

  it('every-run advances only ScoresLastUpdated on unchanged rows', async () => {
    const { t, chunk } = setup();
    try {
      await t.store.writeScores(chunk(() => 'Call now'));
      const later = T0 + 3_600_000;
      await expect(
        t.store.writeScores(chunk(() => 'Call now', { scoredAt: later, touchUnchanged: true })),
      ).resolves.toStrictEqual({ changed: 0, unchanged: 5, missing: 0 });
      expect(
        t.store.connection
          .prepare('SELECT DISTINCT HealthScore, ScoresLastUpdated FROM lead WHERE HealthScore IS NOT NULL')
          .all(),
      ).toStrictEqual([{ HealthScore: 60, ScoresLastUpdated: later }]);
    } finally {
      await t.cleanup();
    }
  });

  it('counts a lead deleted before the write as missing', async () => {
    const { t, ids, chunk } = setup();
    try {
      t.store.connection.prepare('DELETE FROM lead WHERE LeadId = ?').run(ids[0]);
      await expect(t.store.writeScores(chunk(() => 'Call now'))).resolves.toStrictEqual({
        changed: 4,
        unchanged: 0,
        missing: 1,
      });
      await expect(t.store.writeScores(chunk(() => 'Call now'))).resolves.toStrictEqual({
        changed: 0,
        unchanged: 4,
        missing: 1,
      });
    } finally {
      await t.cleanup();
    }
  });
});
