import {
  categoryColumn,
  numericColumn,
  OTHER,
  UNKNOWN,
  type ColumnSource,
  type FeatureSpec,
  type ModelInput,
} from './modelFeatures';

/** The dense design matrix of some leads: row-major, `n` rows of `p` values, column 0 the intercept. */
export interface DesignMatrix {
  readonly x: Float64Array;
  readonly n: number;
  readonly p: number;
}

const sourceKey = (from: ColumnSource): string =>
  'base' in from ? `b:${from.base}` : 'extra' in from ? `e:${from.extra}` : 's';

/** Per lead, the dense column index (0-based, intercept excluded) of its level in each categorical group, or −1. */
function levelColumns(dense: FeatureSpec['columns'], input: ModelInput): Int32Array[] {
  const groups = new Map<string, { from: ColumnSource; columnOf: Map<string, number> }>();
  dense.forEach((col, c) => {
    if (col.kind !== 'level') return;
    const key = col.name.slice(0, col.name.indexOf('='));
    const g = groups.get(key) ?? { from: col.from, columnOf: new Map<string, number>() };
    g.columnOf.set(col.level!, c);
    groups.set(key, g);
  });
  const n = input.features.leadId.length;
  return [...groups.values()].map((g) => {
    const out = new Int32Array(n);
    const cats = categoryColumn(input, g.from);
    for (let i = 0; i < n; i++) {
      const cat = cats[i]!;
      out[i] = g.columnOf.get(cat) ?? (cat === UNKNOWN ? undefined : g.columnOf.get(OTHER)) ?? -1;
    }
    return out;
  });
}

/**
 * The dense design matrix (row-major, column 0 = intercept) of `input` under `spec`: each column standardised with the
 * training mean and deviation; a category the training data did not have reads as "(other)". Bin columns are not in
 * it (see `modelMatrix`). Each lead's row depends on that lead alone, so the matrix of some leads is the same rows of
 * the matrix of all of them. Each source column is read once for all leads (`numericColumn`), then the matrix is
 * filled a block of rows at a time.
 *
 * Complexity: O(n · columns).
 */
export function designMatrix(spec: FeatureSpec, input: ModelInput): DesignMatrix {
  const n = input.features.leadId.length;
  const dense = spec.columns.filter((c) => c.kind !== 'bin');
  const d = dense.length;
  const p = d + 1;
  const x = new Float64Array(n * p);
  const raws = new Map<string, Float64Array>();
  const empty = new Float64Array(0);
  // per column: 0 = numeric, 1 = missing indicator, 2 = level (its lead's own level is set below)
  const kind = Int8Array.from(dense, (c) => (c.kind === 'numeric' ? 0 : c.kind === 'missing' ? 1 : 2));
  const raw = dense.map((c) => {
    if (c.kind === 'level') return empty;
    const key = sourceKey(c.from);
    const v = raws.get(key) ?? numericColumn(input, c.from);
    raws.set(key, v);
    return v;
  });
  const mean = Float64Array.from(dense, (c) => c.mean);
  const std = Float64Array.from(dense, (c) => c.std);
  const fill = Float64Array.from(dense, (c) => c.fill ?? NaN);
  // a block of rows at a time, column by column down it: the block stays in cache, and each source column is read in
  // order (not all of them at once, row by row)
  for (let i0 = 0; i0 < n; i0 += 256) {
    const i1 = Math.min(n, i0 + 256);
    for (let i = i0; i < i1; i++) x[i * p] = 1;
    for (let c = 0; c < d; c++) {
      const k = kind[c]!;
      const m = mean[c]!;
      const s = std[c]!;
      const f = fill[c]!;
      const col = raw[c]!;
      const o = c + 1;
      if (k === 2) {
        const zero = -m / s; // 0, standardised; the lead's own level is set below
        for (let i = i0; i < i1; i++) x[i * p + o] = zero;
      } else if (k === 1) {
        for (let i = i0; i < i1; i++) x[i * p + o] = ((col[i]! === col[i]! ? 0 : 1) - m) / s;
      } else {
        for (let i = i0; i < i1; i++) x[i * p + o] = ((col[i]! === col[i]! ? col[i]! : f) - m) / s;
      }
    }
  }
  for (const cols of levelColumns(dense, input)) {
    for (let i = 0; i < n; i++) {
      const c = cols[i]!;
      if (c >= 0) x[i * p + 1 + c] = (1 - mean[c]!) / std[c]!;
    }
  }
  return { x, n, p };
}
