import {
  allocateLeadFeatures,
  binMatrix,
  categoryOf,
  designMatrix,
  expandSpec,
  fitFeatureSpec,
  matrixRows,
  modelMatrix,
  naiveBayesBaseline,
  naiveBayesOnMatrices,
  numericOf,
  rowRange,
  selectRows,
  MS_PER_DAY,
  type FeatureSpec,
  type ModelInput,
  type TrainingInput,
  withBaseValues,
} from '../../../src/scoring';
import { Prng } from '../../../src/synthetic/prng';

/**
 * The training pipeline encodes each split once and takes row ranges of it: these pin that a range of the encoding
 * is the encoding of the range, and that the column-at-a-time `designMatrix` is the per-lead definition.
 */

/** Leads with missing values, a rare level, NULLs and a level seen only late, in every kind of column. */
function leads(n: number, seed = 5): TrainingInput {
  const r = new Prng(seed);
  const f = allocateLeadFeatures(n);
  const asOf = new Float64Array(n);
  const x = new Float64Array(n);
  const region: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    f.leadId[i] = i + 1;
    asOf[i] = 1e12 + i * 3_600_000;
    f.source[i] = r.int(0, 9);
    f.createdAt[i] = asOf[i]! - r.int(1, 200) * MS_PER_DAY;
    f.lastContactAt[i] = r.next() < 0.7 ? asOf[i]! - r.int(0, 60) * MS_PER_DAY : NaN;
    f.visits[i] = r.int(0, 5);
    f.estimatedValue[i] = r.next() < 0.6 ? r.int(100, 9000) : 0;
    x[i] = r.next() < 0.1 ? NaN : r.normal();
    region.push(i > n * 0.9 ? 'late' : r.next() < 0.01 ? 'rare' : [null, 'n', 's', ''][r.int(0, 3)]!);
  }
  const label = Uint8Array.from({ length: n }, () => (r.next() < 0.4 ? 1 : 0));
  return { features: f, asOf, label, extras: { x, region } };
}

/** The per-lead definition of the dense design matrix (the implementation before the column-at-a-time one). */
function referenceDesign(spec: FeatureSpec, input: ModelInput): Float64Array {
  const n = input.features.leadId.length;
  const dense = spec.columns.filter((c) => c.kind !== 'bin');
  const p = dense.length + 1;
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    x[i * p] = 1;
    dense.forEach((col, c) => {
      let v: number;
      if (col.kind === 'level') {
        const cat = categoryOf(input, i, col.from);
        const levels = dense.filter(
          (d) => d.kind === 'level' && d.name.split('=')[0] === col.name.split('=')[0],
        );
        const own =
          levels.find((d) => d.level === cat) ??
          (cat === '(unknown)' ? undefined : levels.find((d) => d.level === '(other)'));
        v = own === col ? 1 : 0;
      } else {
        const raw = numericOf(input, i, col.from);
        v = col.kind === 'missing' ? (raw === raw ? 0 : 1) : raw === raw ? raw : col.fill!;
      }
      x[i * p + c + 1] = (v - col.mean) / col.std;
    });
  }
  return x;
}

describe('encoding once, taking rows of it', () => {
  const all = leads(1200);
  const early = selectRows(
    all,
    Int32Array.from({ length: 800 }, (_, i) => i),
  );
  const spec = expandSpec(fitFeatureSpec(early), early, 4);

  it('designMatrix is the per-lead definition, unseen and rare levels included', () => {
    expect(spec.columns.some((c) => c.level === '(other)')).toBe(true);
    expect(designMatrix(spec, all).x).toStrictEqual(referenceDesign(spec, all));
  });

  it('rowRange holds the same leads as selectRows over that range, without copying typed columns', () => {
    const view = rowRange(all, 300, 700);
    const copy = selectRows(
      all,
      Int32Array.from({ length: 400 }, (_, i) => 300 + i),
    );
    expect(view.features).toStrictEqual(copy.features);
    expect(view.asOf).toStrictEqual(copy.asOf);
    expect(view.label).toStrictEqual(copy.label);
    expect(view.extras).toStrictEqual(copy.extras);
    expect(view.asOf.buffer).toBe(all.asOf.buffer);
  });

  it('rows of the whole encoding are the encoding of those rows (dense part and bins)', () => {
    const whole = modelMatrix(spec, all);
    const part = matrixRows(whole, 300, 700);
    const direct = modelMatrix(spec, rowRange(all, 300, 700));
    expect(part.x).toStrictEqual(direct.x);
    expect(part.bins!.idx).toStrictEqual(direct.bins!.idx);
    expect(binMatrix(spec, all, whole.p)!.idx.subarray(300 * part.bins!.s, 700 * part.bins!.s)).toStrictEqual(
      direct.bins!.idx,
    );
  });

  it('naive Bayes on row ranges of one encoding is naiveBayesBaseline on those leads', () => {
    const base = fitFeatureSpec(early);
    const whole = { ...designMatrix(base, all), bins: undefined };
    expect(
      naiveBayesOnMatrices(
        matrixRows(whole, 0, 900),
        all.label.subarray(0, 900),
        matrixRows(whole, 900, 1200),
      ),
    ).toStrictEqual(naiveBayesBaseline(base, rowRange(all, 0, 900), rowRange(all, 900, 1200)));
  });

  it('standard features worked out once (withBaseValues) encode exactly as computed per use, through row selections', () => {
    const memo = withBaseValues(all);
    const idx = Int32Array.from({ length: 500 }, (_, i) => 2 * i + 1);
    for (const [a, b] of [
      [all, memo],
      [rowRange(all, 100, 900), rowRange(memo, 100, 900)],
      [selectRows(all, idx), selectRows(memo, idx)],
    ] as const) {
      expect(b.baseValues).toBeDefined();
      const s = expandSpec(fitFeatureSpec(a), a, 8);
      expect(expandSpec(fitFeatureSpec(b), b, 8)).toStrictEqual(s);
      const [ma, mb] = [modelMatrix(s, a), modelMatrix(s, b)];
      expect(mb.x).toStrictEqual(ma.x);
      expect(mb.bins!.idx).toStrictEqual(ma.bins!.idx);
    }
  });
});
