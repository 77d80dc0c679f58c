import {
  allocateLeadFeatures,
  chooseExpansion,
  conversionPushes,
  scoreWithModel,
  expandSpec,
  fitFeatureSpec,
  fitLogistic,
  modelMatrix,
  quantileCuts,
  trainConversionModel,
  type ModelInput,
  type TrainingInput,
} from '../../../src/scoring';
import { Prng } from '../../../src/synthetic/prng';

/** Leads with nothing in the core's columns but one numeric extra `x` (the base features are all dropped). */
function onlyX(x: readonly number[], label?: readonly number[]): TrainingInput {
  const n = x.length;
  const features = allocateLeadFeatures(n);
  features.leadId.set(Int32Array.from({ length: n }, (_, i) => i + 1));
  return {
    features,
    asOf: Float64Array.from({ length: n }, (_, i) => i),
    extras: { x: Float64Array.from(x) },
    label: Uint8Array.from(label ?? x.map(() => 0)),
  };
}

describe('quantileCuts', () => {
  it('cuts at sorted[⌈k·n/bins⌉ − 1]: 1…8 in four bins at 2, 4 and 6', () => {
    // sorted 1 2 3 4 5 6 7 8; k = 1, 2, 3 → indices ⌈2⌉−1 = 1, ⌈4⌉−1 = 3, ⌈6⌉−1 = 5 → 2, 4, 6
    expect(quantileCuts(Float64Array.of(8, 1, 2, 7, 3, 6, 4, 5), 4)).toStrictEqual([2, 4, 6]);
  });

  it('drops repeated cuts and a cut at the maximum, so a count feature gets fewer bins and a constant none', () => {
    // sorted 0 0 0 0 0 1 1 2: indices 1, 3, 5 → 0, 0 (repeat), 1
    expect(quantileCuts(Float64Array.of(0, 1, 0, 2, 0, 0, 1, 0), 4)).toStrictEqual([0, 1]);
    // sorted 0 0 0 0 0 0 0 3: every cut is 0 … and 3 is the maximum
    expect(quantileCuts(Float64Array.of(0, 0, 0, 3, 0, 0, 0, 0), 4)).toStrictEqual([0]);
    expect(quantileCuts(Float64Array.of(5, 5, 5), 4)).toStrictEqual([]);
    expect(quantileCuts(Float64Array.of(1, 2, 3), 1)).toStrictEqual([]);
  });
});

describe('expandSpec', () => {
  const data = onlyX([8, 1, 2, 7, 3, 6, 4, 5]);
  const spec = expandSpec(fitFeatureSpec(data), data, 4);

  it('adds one 0/1 column per quantile bin after the linear columns, with its bounds, share and label', () => {
    const bins = spec.columns.filter((c) => c.kind === 'bin');
    expect(spec.columns.map((c) => c.name)).toStrictEqual(['x', 'x#1', 'x#2', 'x#3', 'x#4']);
    expect(bins.map((c) => [c.lo, c.hi, c.mean, c.feature])).toStrictEqual([
      [null, 2, 0.25, 'x'],
      [2, 4, 0.25, 'x'],
      [4, 6, 0.25, 'x'],
      [6, null, 0.25, 'x'],
    ]);
    expect(bins.map((c) => c.label)).toStrictEqual([
      'x in (−∞, 2]',
      'x in (2, 4]',
      'x in (4, 6]',
      'x in (6, ∞)',
    ]);
  });

  it('puts each lead in its bin (lo, hi], a missing value in the bin of the training mean, and survives JSON', () => {
    const restored = JSON.parse(JSON.stringify(spec)) as typeof spec;
    const m = modelMatrix(restored, onlyX([2, 2.5, 6, 6.01, NaN, -100]));
    // dense part: intercept + x → p = 2, so the bins are coefficients 2…5; NaN reads as the mean 4.5 → (4, 6]
    expect(m.p).toBe(2);
    expect(m.bins).toStrictEqual({ idx: Int32Array.of(2, 3, 4, 5, 4, 2), s: 1, count: 4 });
  });

  it('leaves the spec as it is for bins ≤ 1', () => {
    const base = fitFeatureSpec(data);
    expect(expandSpec(base, data, 0)).toBe(base);
  });
});

/** A plain penalised logistic regression by gradient ascent, over a dense 0/1-bin design (the reference). */
function referenceFit(rows: number[][], y: number[], l2: number): number[] {
  const p = rows[0]!.length;
  const b = new Array<number>(p).fill(0);
  for (let it = 0; it < 60_000; it++) {
    const g = new Array<number>(p).fill(0);
    rows.forEach((r, i) => {
      const mu = 1 / (1 + Math.exp(-r.reduce((s, v, j) => s + v * b[j]!, 0)));
      r.forEach((v, j) => (g[j]! += v * (y[i]! - mu)));
    });
    for (let j = 1; j < p; j++) g[j]! -= l2 * b[j]!;
    for (let j = 0; j < p; j++) b[j]! += 0.15 * g[j]!;
  }
  return b;
}

describe('fitLogistic with sparse bins', () => {
  it('reaches the same penalised optimum as a plain gradient ascent over the dense one-hot design', () => {
    // intercept, one standardised column, and two bins of one feature (coefficients 2 and 3)
    const xs = [-1.5, -0.5, 0.5, 1.5, -1, 0, 1, 0.2];
    const bin = [2, 2, 3, 3, 2, 3, 3, 2];
    const y = [0, 1, 0, 1, 0, 1, 1, 0];
    const x = Float64Array.from(xs.flatMap((v) => [1, v]));
    const fit = fitLogistic(x, Uint8Array.from(y), 8, 2, {
      l2: 0.5,
      bins: { idx: Int32Array.from(bin), s: 1, count: 2 },
    });
    const ref = referenceFit(
      xs.map((v, i) => [1, v, bin[i] === 2 ? 1 : 0, bin[i] === 3 ? 1 : 0]),
      y,
      0.5,
    );
    expect(fit.converged).toBe(true);
    Array.from(fit.coef).forEach((c, j) => expect(c).toBeCloseTo(ref[j]!, 5));
  });
});

/** Leads whose win chance jumps at x > 0 and is flat elsewhere: a threshold the linear term alone cannot draw. */
function threshold(n: number, seed: number, step: boolean): TrainingInput {
  const r = new Prng(seed);
  const x = Array.from({ length: n }, () => r.normal());
  const y = x.map((v) => (r.next() < 1 / (1 + Math.exp(-(step ? (v > 0 ? 1.5 : -1.5) : 0.8 * v))) ? 1 : 0));
  return onlyX(x, y);
}

describe('chooseExpansion', () => {
  it('chooses bins for a threshold effect and linear terms only for a linear one, inside the given leads', () => {
    const options = { bins: [0, 4, 8], l2: [1, 10] };
    expect(chooseExpansion(threshold(3000, 1, true), options).bins).toBeGreaterThan(0);
    expect(chooseExpansion(threshold(3000, 2, false), options).bins).toBe(0);
    const c = chooseExpansion(threshold(3000, 1, true), options);
    expect(c.grid).toHaveLength(6);
    expect(c.folds).toBe(3);
    expect(c.rows).toBe(3000);
  });
});

describe('per-lead reasons with bins', () => {
  it('reports one factor per original feature: its linear term plus its bin, centred on the training average', () => {
    const data = threshold(3000, 3, true);
    const result = trainConversionModel(data, { now: 0, bins: [8], l2: 1 });
    if (!('model' in result)) throw new Error(result.insufficient);
    const m = result.model;
    expect(m.spec.columns.some((c) => c.kind === 'bin')).toBe(true);
    const lead: ModelInput = onlyX([1.2]);
    const pushes = conversionPushes(m, scoreWithModel(m, lead), 1);
    expect(pushes.fields).toStrictEqual(['x']);
    // by hand from the model's JSON: coefficient × z of the linear column, plus the lead's bin coefficient less the
    // share-weighted mean of the bin coefficients
    const cols = m.spec.columns;
    const lin = cols.findIndex((c) => c.name === 'x');
    let centre = 0;
    let own = 0;
    cols.forEach((c, j) => {
      if (c.kind !== 'bin') return;
      centre += c.mean * m.coef[j + 1]!;
      if ((c.lo == null || 1.2 > c.lo) && (c.hi == null || 1.2 <= c.hi)) own = m.coef[j + 1]!;
    });
    const z = (1.2 - cols[lin]!.mean) / cols[lin]!.std;
    expect(pushes.push[0]).toBeCloseTo(m.coef[lin + 1]! * z + own - centre, 3);
  });
});
