import {
  allocateLeadFeatures,
  auc,
  brier,
  DEFAULT_SCORING_CONFIG,
  priorityParams,
  scoreLeads,
  scoreWithModel,
  expectedCalibrationError,
  explainConversion,
  fitFeatureSpec,
  fitLogistic,
  logLoss,
  MS_PER_DAY,
  predictConversion,
  shouldPublish,
  trainConversionModel,
  type ConversionModel,
  type TrainingInput,
} from '../../../src/scoring';
import { Prng } from '../../../src/synthetic/prng';

/** AUC as the share of (won, lost) pairs the scores order correctly, ties half: O(won · lost), a test-only count. */
function pairwiseAuc(score: ArrayLike<number>, label: ArrayLike<number>): number {
  let right = 0;
  let pairs = 0;
  for (let i = 0; i < label.length; i++) {
    if (label[i] !== 1) continue;
    for (let j = 0; j < label.length; j++) {
      if (label[j] !== 0) continue;
      pairs++;
      right += score[i]! > score[j]! ? 1 : score[i] === score[j] ? 0.5 : 0;
    }
  }
  return right / pairs;
}

describe('metrics', () => {
  it('computes AUC with ties, Brier, log loss and ECE by hand-checked values', () => {
    expect(auc(Float64Array.of(0.1, 0.4, 0.35, 0.8), Uint8Array.of(0, 0, 1, 1))).toBe(0.75);
    expect(auc(Float64Array.of(0.5, 0.5, 0.5, 0.5), Uint8Array.of(0, 1, 0, 1))).toBe(0.5);
    expect(auc(Float64Array.of(0.2, 0.9), Uint8Array.of(1, 1))).toBeNaN();
    expect(brier(Float64Array.of(0.9, 0.2), Uint8Array.of(1, 0))).toBeCloseTo(0.025, 12);
    expect(logLoss(Float64Array.of(0.5, 0.5), Uint8Array.of(1, 0))).toBeCloseTo(Math.LN2, 12);
    expect(expectedCalibrationError(Float64Array.of(0.25, 0.25, 0.25, 0.25), Uint8Array.of(0, 0, 0, 1))).toBe(
      0,
    );
    // bins 0.1–0.2 (mean 0.15, observed 0) and 0.8–0.9 (mean 0.85, observed 1): |0 − .15|·.5 + |1 − .85|·.5
    expect(expectedCalibrationError(Float64Array.of(0.15, 0.85), Uint8Array.of(0, 1))).toBeCloseTo(0.15, 12);
  });
});

describe('fitLogistic', () => {
  const r = new Prng(3);
  const n = 20_000;
  const x = new Float64Array(n * 3);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = r.normal();
    const b = r.normal();
    x.set([1, a, b], i * 3);
    y[i] = r.next() < 1 / (1 + Math.exp(-(-0.5 + 1.2 * a - 0.8 * b))) ? 1 : 0;
  }

  it('recovers known coefficients on generated data', () => {
    const fit = fitLogistic(x, y, n, 3, { l2: 0.01 });
    expect(fit.converged).toBe(true);
    expect(fit.coef[0]).toBeCloseTo(-0.5, 1);
    expect(fit.coef[1]).toBeCloseTo(1.2, 1);
    expect(fit.coef[2]).toBeCloseTo(-0.8, 1);
  });

  it('stays finite on separable data and a constant column (the penalty bounds them)', () => {
    const xs = Float64Array.of(1, -2, 0, 1, -1, 0, 1, 1, 0, 1, 2, 0);
    const fit = fitLogistic(xs, Uint8Array.of(0, 0, 1, 1), 4, 3, { l2: 1 });
    expect(fit.coef.every(Number.isFinite)).toBe(true);
    expect(Math.abs(fit.coef[1]!)).toBeLessThan(10);
    expect(fit.coef[2]).toBe(0);
  });
});

/** Closed leads whose outcome depends on visits and recency, plus an extra categorical column. */
function closedLeads(n: number, seed = 1): TrainingInput & { trueP: Float64Array } {
  const r = new Prng(seed);
  const f = allocateLeadFeatures(n);
  const asOf = new Float64Array(n);
  const label = new Uint8Array(n);
  const trueP = new Float64Array(n);
  const industry: (string | null)[] = [];
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    f.leadId[i] = i + 1;
    asOf[i] = t0 + i * 3_600_000;
    f.createdAt[i] = asOf[i]! - (10 + r.int(0, 200)) * MS_PER_DAY;
    f.visits[i] = r.int(0, 8);
    f.lastVisitAt[i] = asOf[i]! - r.int(0, 60) * MS_PER_DAY;
    const ind = ['Retail', 'Finance', 'Health', null][r.int(0, 3)]!;
    industry.push(ind);
    const z =
      -1 +
      0.9 * Math.log1p(f.visits[i]!) -
      0.6 * Math.log1p((asOf[i]! - f.lastVisitAt[i]!) / MS_PER_DAY) +
      (ind === 'Finance' ? 0.8 : 0);
    trueP[i] = 1 / (1 + Math.exp(-z));
    label[i] = r.next() < trueP[i]! ? 1 : 0;
  }
  return {
    features: f,
    asOf,
    label,
    extras: { Industry: industry, AllMissing: new Float64Array(n).fill(NaN) },
    trueP,
  };
}

describe('trainConversionModel', () => {
  it('declines with fewer than 40 won or 40 lost, saying how many there are', () => {
    const small = closedLeads(60);
    const result = trainConversionModel(small, { now: 0 });
    expect(result).toStrictEqual({
      insufficient: expect.stringMatching(
        /^\d+ won and \d+ lost closed leads; at least 40 won and 40 lost are needed$/,
      ),
    });
  });

  it('trains, evaluates on the most recent 20 % and gets close to the oracle AUC', () => {
    const data = closedLeads(8000, 2);
    const result = trainConversionModel(data, { now: Date.UTC(2025, 0, 1) });
    if (!('model' in result)) throw new Error(result.insufficient);
    const m: ConversionModel = result.model;
    expect(m.counts.holdout).toBe(1600);
    // the oracle's AUC, counted pair by pair (not with the production auc): P(true p of a won lead > of a lost one)
    const oracle = pairwiseAuc(data.trueP.subarray(6400), data.label.subarray(6400));
    expect(m.metrics.holdout.auc).toBeGreaterThan(oracle - 0.02);
    expect(m.metrics.holdout.ece).toBeLessThan(0.05);
    expect(m.spec.notes).toContain('dropped "AllMissing": no value in the training data');
    expect(m.spec.columns.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Industry=Finance', 'Industry=(unknown)', 'visits']),
    );
    // serialisable, and scoring with it gives probabilities in range
    const restored = JSON.parse(JSON.stringify(m)) as ConversionModel;
    const p = predictConversion(restored, data);
    expect(p.every((v) => v >= 0 && v <= 100)).toBe(true);
    const design = scoreWithModel(restored, data);
    const scores = scoreLeads(data.features, Date.UTC(2025, 0, 1), DEFAULT_SCORING_CONFIG, {
      conversion: design.probability,
    });
    const factors = explainConversion(
      restored,
      data,
      design,
      scores,
      data.features.estimatedValue,
      priorityParams(DEFAULT_SCORING_CONFIG),
    );
    expect(factors[0]!.filter((f) => f.points > 0).length).toBeLessThanOrEqual(3);
    expect(factors[0]!.filter((f) => f.points < 0).length).toBeLessThanOrEqual(3);
    // the one-hot Industry shows only as the lead's own level
    const industry = data.extras.Industry as (string | null)[];
    factors.forEach((fs, i) =>
      fs
        .filter((f) => f.factor === 'Industry')
        .forEach((f) => expect(f.label).toBe(industry[i] ? `Industry: ${industry[i]}` : 'Industry not set')),
    );
  });

  it('reports five-fold AUC for a small history', () => {
    const result = trainConversionModel(closedLeads(600, 4), { now: 0 });
    if (!('model' in result)) throw new Error(result.insufficient);
    expect(result.model.metrics.kFold).toMatchObject({ folds: 5, aucMean: expect.any(Number) });
  });
});

describe('fitFeatureSpec', () => {
  it('pools rare levels into (other) and keeps (unknown)', () => {
    const data = closedLeads(1000, 5);
    const industry = data.extras.Industry as (string | null)[];
    industry[0] = 'Mining';
    const spec = fitFeatureSpec(data);
    expect(spec.notes).toContain('"Industry": 1 rare level(s) pooled into (other)');
    expect(spec.columns.filter((c) => c.name.startsWith('Industry=')).map((c) => c.level)).toEqual(
      expect.arrayContaining(['Retail', 'Finance', 'Health', '(other)', '(unknown)']),
    );
  });
});

describe('shouldPublish', () => {
  const model = (auc: number, trainedAt: number) =>
    ({ trainedAt, metrics: { holdout: { auc } } }) as unknown as ConversionModel;
  it('publishes a first model, a model at least 95 % as good, or any model when the current one is too old', () => {
    expect(shouldPublish(model(0.7, 10), null, 1000)).toBe(true);
    expect(shouldPublish(model(0.76, 10), model(0.8, 0), 1000)).toBe(true);
    expect(shouldPublish(model(0.75, 10), model(0.8, 0), 1000)).toBe(false);
    expect(shouldPublish(model(0.5, 2000), model(0.8, 0), 1000)).toBe(true);
  });
});
