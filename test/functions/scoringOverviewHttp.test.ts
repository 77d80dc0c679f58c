import { loadConfig } from '../../src/config/loadConfig';
import { jobSettings } from '../../src/config/jobSettings';
import { createScoringOverviewHttp, nextScheduledRun } from '../../src/functions/scoringOverviewHttp';
import { runScoringJob } from '../../src/job';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { tempStore } from '../helpers/tempStore';

const SILENT = { info: () => undefined, warn: () => undefined, error: () => undefined };

const NOW = Date.UTC(2026, 10, 26, 1, 10, 0);

describe('nextScheduledRun', () => {
  it('is the next firing of the NCRONTAB schedule in UTC', () => {
    // '0 */30 * * * *' fires at :00 and :30 of every hour: after 01:10:00 comes 01:30:00
    expect(nextScheduledRun('0 */30 * * * *', NOW)).toBe('2026-11-26T01:30:00.000Z');
    // exactly on a firing, the next one
    expect(nextScheduledRun('0 */30 * * * *', Date.UTC(2026, 10, 26, 1, 30, 0))).toBe(
      '2026-11-26T02:00:00.000Z',
    );
    // 02:15 every day: the next day once today's has passed
    expect(nextScheduledRun('0 15 2 * * *', Date.UTC(2026, 10, 26, 3, 0, 0))).toBe(
      '2026-11-27T02:15:00.000Z',
    );
  });
});

describe('scoringOverviewHttp', () => {
  const config = loadConfig({ SCORING_CHUNK_SIZE: '200' });

  it('says there is no run yet and that conversion is heuristic on an empty history', async () => {
    const t = tempStore();
    try {
      const r = await createScoringOverviewHttp(
        () => ({ store: t.store, config }),
        () => NOW,
      )();
      expect(r.status).toBe(200);
      expect(r.jsonBody).toStrictEqual({
        lastRun: null,
        schedule: '0 */30 * * * *',
        nextRunAt: '2026-11-26T01:30:00.000Z',
        model: {
          source: 'heuristic',
          note: null,
          minWon: 40,
          minLost: 40,
          lastAttemptAt: null,
          published: null,
        },
      });
    } finally {
      await t.cleanup();
    }
  });

  it('shows the last run and the published model with its holdout AUC, calibration and closed-lead counts', async () => {
    const t = tempStore();
    try {
      generateCrm(t.store.connection, { leads: 150, closedLeads: 300, now: NOW, seed: 4 });
      const summary = await runScoringJob({
        store: t.store,
        now: NOW,
        ...jobSettings(config),
        trigger: 'cli',
        log: SILENT,
      });
      const r = await createScoringOverviewHttp(
        () => ({ store: t.store, config }),
        () => NOW,
      )();
      const body = r.jsonBody as {
        lastRun: { runId: number; status: string; leadsScored: number };
        model: {
          source: string;
          published: { won: number; lost: number; holdout: { auc: number; calibration: unknown[] } };
        };
      };
      expect(body.lastRun).toMatchObject({ runId: summary.runId, status: 'succeeded', leadsScored: 150 });
      expect(body.model.source).toBe(summary.conversionSource);
      expect(body.model.source).toBe('model');
      expect(body.model.published.holdout.auc).toBe(summary.modelHoldoutAuc);
      // ten equal-width bins of predicted probability: 0–0.1, 0.1–0.2, …, 0.9–1
      expect(body.model.published.holdout.calibration).toHaveLength(10);
      expect(body.model.published.won + body.model.published.lost).toBe(300);
    } finally {
      await t.cleanup();
    }
  });
});
