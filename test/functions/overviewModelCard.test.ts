import { runInThisContext } from 'node:vm';
import { loadConfig } from '../../src/config/loadConfig';
import { createScoringOverviewHttp, nextScheduledRun } from '../../src/functions/scoringOverviewHttp';
import type { ModelRegistry, RunLog, RunRecord } from '../../src/store/leadStore';

/**
 * GET /api/scoring/overview: the next timer run, and which source the model card says scores conversion. Store
 * doubles give the last run's summary and the registry's model, so each case is set up exactly.
 */
const config = loadConfig({});
const NOW = Date.UTC(2026, 10, 26, 10, 17, 3);

/** The fields of a published model the card reads (src/scoring's ConversionModel has more). */
const PUBLISHED = {
  version: 3,
  trainedAt: Date.UTC(2026, 10, 25, 2, 0, 0),
  counts: { won: 61, lost: 70 },
  metrics: { holdout: { n: 40, auc: 0.81, brier: 0.17, calibration: [] }, calibrated: true },
};

function overview(summary: Record<string, unknown> | null, published: boolean) {
  const lastRun = summary === null ? null : ({ runId: 9, summary } as unknown as RunRecord);
  const store = {
    listRuns: () => Promise.resolve(lastRun ? [lastRun] : []),
    latestPublishedModel: () => Promise.resolve(published ? PUBLISHED : null),
    lastModelAttempt: () => Promise.resolve(null),
  } as unknown as RunLog & ModelRegistry;
  return createScoringOverviewHttp(
    () => ({ store, config }),
    () => NOW,
  )();
}

const card = async (summary: Record<string, unknown> | null, published: boolean) =>
  ((await overview(summary, published)).jsonBody as { model: { source: string } }).model;

describe('scoringOverviewHttp: the conversion source of the model card', () => {
  it("is the last run's own source, model or heuristic, whatever the registry holds now", async () => {
    // the last run fell back to the heuristic although a model is published (e.g. it failed to load)
    expect((await card({ conversionSource: 'heuristic' }, true)).source).toBe('heuristic');
    // the last run scored with a model that is no longer the published one
    expect((await card({ conversionSource: 'model' }, false)).source).toBe('model');
  });

  it('is model when a model is published and the last run names no known source', async () => {
    expect((await card({ conversionSource: 'other' }, true)).source).toBe('model');
    expect((await card({}, true)).source).toBe('model');
    expect((await card(null, true)).source).toBe('model');
  });

  it('is heuristic when no model is published and the last run names no known source', async () => {
    expect((await card({ conversionSource: 'other' }, false)).source).toBe('heuristic');
    expect((await card(null, false)).source).toBe('heuristic');
  });

  it('describes the published model with its counts, holdout metrics and training time', async () => {
    expect(await card({ conversionSource: 'model', conversionNote: 'trained on 131' }, true)).toStrictEqual({
      source: 'model',
      note: 'trained on 131',
      minWon: 40,
      minLost: 40,
      lastAttemptAt: null,
      published: {
        version: 3,
        trainedAt: '2026-11-25T02:00:00.000Z',
        won: 61,
        lost: 70,
        holdout: { n: 40, auc: 0.81, brier: 0.17, calibration: [] },
        calibrated: true,
      },
    });
  });
});

describe('scoringOverviewHttp: the next timer run', () => {
  it('is the next firing of the configured schedule after now: 10:17:03Z → 10:30:00Z', async () => {
    const body = (await overview(null, false)).jsonBody as { schedule: string; nextRunAt: string };
    expect(body.schedule).toBe('0 */30 * * * *');
    // '0 */30 * * * *' fires at second 0 of minutes 0 and 30; the first after 10:17:03 is 10:30:00
    expect(body.nextRunAt).toBe('2026-11-26T10:30:00.000Z');
  });

  describe('on a worker whose local time zone is not UTC', () => {
    // Node re-reads the zone when TZ of the process's own environment changes; jest gives a test file a copy of
    // it, so the change goes through the process's top-level context
    const env = runInThisContext('process.env') as NodeJS.ProcessEnv;
    const saved = env.TZ;
    beforeAll(() => {
      env.TZ = 'America/New_York'; // UTC−5 in November
    });
    afterAll(() => {
      if (saved === undefined) delete env.TZ;
      else env.TZ = saved;
    });

    it('still reads the schedule in UTC, as the Functions host does', () => {
      // the zone is in effect: 10:17:03Z is 05:17:03 in New York
      expect(new Date(NOW).getHours()).toBe(5);
      // 02:15 every day: 02:15Z tomorrow (27 November), not 02:15 New York time (07:15Z)
      expect(nextScheduledRun('0 15 2 * * *', NOW)).toBe('2026-11-27T02:15:00.000Z');
      // 10:30 every day: 10:30Z today
      expect(nextScheduledRun('0 30 10 * * *', NOW)).toBe('2026-11-26T10:30:00.000Z');
    });
  });
});
