import { runScoringJob, type JobLogger } from '../../src/job';
import { DEFAULT_MODEL_POLICY, loadTrainingInput } from '../../src/job/prepareModel';
import { readCsvTraining } from '../../src/job/readCsvTraining';
import { MS_PER_DAY, DEFAULT_SCORING_CONFIG } from '../../src/scoring';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { tempStore } from '../helpers/tempStore';

const NOW = Date.UTC(2025, 9, 14, 9, 30);
const log = (): JobLogger & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
};

describe('the learned conversion model in a scoring run', () => {
  it('trains from closed leads as of their close date, publishes, scores with it and explains it', async () => {
    const t = tempStore();
    try {
      generateCrm(t.store.connection, { leads: 300, closedLeads: 1500, now: NOW, seed: 9 });
      const { input } = await loadTrainingInput(t.store);
      expect(input.label.length).toBe(1500);
      expect(Object.keys(input.extras)).toStrictEqual([]); // the outcome columns are not features
      // nothing recorded after the close is used: each lead's last activity is at or before its close date
      for (let i = 0; i < input.label.length; i++) {
        expect(
          input.features.lastVisitAt[i]! <= input.asOf[i]! || Number.isNaN(input.features.lastVisitAt[i]),
        ).toBe(true);
      }
      const l = log();
      const s = await runScoringJob({
        store: t.store,
        now: NOW,
        scoring: DEFAULT_SCORING_CONFIG,
        chunkSize: 100,
        trigger: 'cli',
        log: l,
        model: DEFAULT_MODEL_POLICY,
      });
      expect(s.conversionSource).toBe('model');
      expect(s.modelHoldoutAuc).toBeGreaterThan(0.7);
      expect(l.lines.some((x) => x.startsWith('Training on ') && x.includes('published model'))).toBe(true);
      const rec = JSON.parse(
        (
          t.store.connection.prepare('SELECT RecommendationJson AS j FROM lead WHERE LeadId = 1').get() as {
            j: string;
          }
        ).j,
      ) as {
        conversion: { source: string };
        conversionFactors: { contribution: number }[];
      };
      expect(rec.conversion.source).toBe('model');
      expect(rec.conversionFactors.length).toBeGreaterThan(0);
      const models = t.store.connection
        .prepare('SELECT Published, Won + Lost AS n FROM lead_scoring_models')
        .all();
      expect(models).toStrictEqual([{ Published: 1, n: 1500 }]);

      // within the retrain cadence the published model is reused, not retrained
      const again = await runScoringJob({
        store: t.store,
        now: NOW + 3_600_000,
        scoring: DEFAULT_SCORING_CONFIG,
        chunkSize: 100,
        trigger: 'cli',
        log: log(),
        model: DEFAULT_MODEL_POLICY,
      });
      expect(again.conversionSource).toBe('model');
      expect(t.store.connection.prepare('SELECT COUNT(*) AS n FROM lead_scoring_models').get()).toStrictEqual(
        { n: 1 },
      );
      // after it, a new attempt is recorded (published or kept by the gate)
      await runScoringJob({
        store: t.store,
        now: NOW + 2 * MS_PER_DAY,
        scoring: DEFAULT_SCORING_CONFIG,
        chunkSize: 100,
        trigger: 'cli',
        log: log(),
        model: DEFAULT_MODEL_POLICY,
      });
      expect(t.store.connection.prepare('SELECT COUNT(*) AS n FROM lead_scoring_models').get()).toStrictEqual(
        { n: 2 },
      );
    } finally {
      await t.cleanup();
    }
  });

  it('keeps the heuristic below 40 won or 40 lost and says so in the summary and each recommendation', async () => {
    const t = tempStore();
    try {
      generateCrm(t.store.connection, { leads: 50, closedLeads: 30, now: NOW, seed: 2 });
      const s = await runScoringJob({
        store: t.store,
        now: NOW,
        scoring: DEFAULT_SCORING_CONFIG,
        chunkSize: 100,
        trigger: 'cli',
        log: log(),
        model: DEFAULT_MODEL_POLICY,
      });
      expect(s.conversionSource).toBe('heuristic');
      expect(s.conversionNote).toMatch(
        /^heuristic: \d+ won and \d+ lost closed leads; at least 40 won and 40 lost are needed$/,
      );
      const rec = JSON.parse(
        (
          t.store.connection.prepare('SELECT RecommendationJson AS j FROM lead WHERE LeadId = 1').get() as {
            j: string;
          }
        ).j,
      ) as {
        conversion: unknown;
      };
      expect(rec.conversion).toStrictEqual({ source: 'heuristic', note: s.conversionNote });
      expect(
        t.store.connection.prepare('SELECT Published, ModelJson FROM lead_scoring_models').all(),
      ).toStrictEqual([{ Published: 0, ModelJson: null }]);
    } finally {
      await t.cleanup();
    }
  });

  it('never trains in a subset rerun (an HTTP request for a few leads), only in timer and full runs', async () => {
    const t = tempStore();
    try {
      generateCrm(t.store.connection, { leads: 300, closedLeads: 1500, now: NOW, seed: 9 });
      const run = (over: { leadIds?: number[]; trigger: 'http' | 'timer' }) =>
        runScoringJob({
          store: t.store,
          now: NOW,
          scoring: DEFAULT_SCORING_CONFIG,
          chunkSize: 100,
          log: log(),
          model: DEFAULT_MODEL_POLICY,
          ...over,
        });
      // no model yet, training due: a 3-lead rerun still does not train, and scores with the heuristic
      const subset = await run({ trigger: 'http', leadIds: [1, 2, 3] });
      expect(subset).toMatchObject({ status: 'succeeded', leadsScored: 3, conversionSource: 'heuristic' });
      expect(subset.conversionNote).toBe('heuristic: no model has been trained yet');
      expect(await t.store.lastModelAttempt()).toBeNull();
      // the timer's full run trains and publishes; a later subset rerun scores with that model
      expect(await run({ trigger: 'timer' })).toMatchObject({ conversionSource: 'model' });
      expect(t.store.connection.prepare('SELECT COUNT(*) AS n FROM lead_scoring_models').get()).toStrictEqual(
        {
          n: 1,
        },
      );
      const later = await run({ trigger: 'http', leadIds: [4] });
      expect(later.conversionSource).toBe('model');
    } finally {
      await t.cleanup();
    }
  });
});

describe('readCsvTraining', () => {
  it('parses quoted fields, embedded commas and newlines, CRLF and empty cells; numeric and text columns', () => {
    const csv =
      'id,industry,employees,"notes",won\r\n1,"Retail, online",12,"a ""quoted""\r\nline",1\r\n2,Finance,,x,no\r\n3,,40,,maybe\r\n4,Finance,7,,0\r\n';
    const { input, skipped, columns } = readCsvTraining(csv, 'won', ['id']);
    expect(skipped).toBe(1);
    expect(columns).toStrictEqual(['industry', 'employees', 'notes']);
    expect(Array.from(input.label)).toStrictEqual([1, 0, 0]);
    expect(input.extras.industry).toStrictEqual(['Retail, online', 'Finance', 'Finance']);
    expect(input.extras.employees).toStrictEqual(Float64Array.of(12, NaN, 7));
    expect(input.extras.notes).toStrictEqual(['a "quoted"\r\nline', 'x', null]);
  });

  it('names a missing label column and refuses an empty file', () => {
    expect(() => readCsvTraining('a,b\n1,2\n', 'won')).toThrow('The CSV has no column "won" (columns: a, b)');
    expect(() => readCsvTraining('a,b\n', 'a')).toThrow('The CSV has no data rows');
  });

  it('orders rows by --time-column (numbers or dates) and leaves that column out of the features', () => {
    const csv = 'when,size,won\n2025-03-02,5,1\n2025-01-15T10:00:00Z,7,0\n1735689600000,9,1\n';
    const { input, columns } = readCsvTraining(csv, 'won', [], 'when');
    expect(columns).toStrictEqual(['size']);
    // Date.parse of the two dates by hand: 2025-03-02 = 1740873600000, 2025-01-15T10:00Z = 1736935200000
    expect(input.asOf).toStrictEqual(Float64Array.of(1740873600000, 1736935200000, 1735689600000));
    expect(() => readCsvTraining('when,won\nsoon,1\n', 'won', [], 'when')).toThrow(
      'The time column "when" has "soon", neither a number nor a date, in data row 1 (of the rows with a usable label)',
    );
    expect(() => readCsvTraining('at,won\n1,1\n', 'won', [], 'when')).toThrow(
      'The CSV has no column "when" (columns: at, won)',
    );
  });
});
