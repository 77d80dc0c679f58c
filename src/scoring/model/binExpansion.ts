import type { SparseBins } from './logisticRegression';
import { designMatrix } from './designMatrix';
import { numericColumn, type FeatureSpec, type ModelColumn, type ModelInput } from './modelFeatures';

/**
 * The cut points of `bins` equal-count quantile bins of `values`: for k = 1 … bins − 1 the value below which k/bins
 * of them lie (sorted[⌈k·n/bins⌉ − 1]), duplicates and cuts at the maximum (which would leave an empty last bin)
 * removed. A count feature with few distinct values thus gets fewer bins, a constant one none.
 *
 * Complexity: O(n log n).
 *
 * @example quantileCuts(Float64Array.of(8, 1, 2, 7, 3, 6, 4, 5), 4) // => [2, 4, 6]
 */
export function quantileCuts(values: Float64Array, bins: number): number[] {
  return sortedQuantileCuts(Float64Array.from(values).sort(), bins);
}

/** `quantileCuts` of values already sorted ascending. */
function sortedQuantileCuts(sorted: Float64Array, bins: number): number[] {
  const n = sorted.length;
  if (n === 0 || bins < 2) return [];
  const max = sorted[n - 1]!;
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) {
    const c = sorted[Math.ceil((k * n) / bins) - 1]!;
    if (c < max && c !== cuts[cuts.length - 1]) cuts.push(c);
  }
  return cuts;
}

const boundText = (v: number): string => String(Math.round(v * 1000) / 1000);

/**
 * The feature encoding with a quantile-bin expansion of every numeric column: besides its linear term each gets
 * 0/1 bins between its `bins`-quantile cuts (`quantileCuts`, computed on the training values with a missing value
 * read as the column's fill), so the model can bend the linear effect (saturation, thresholds, a middle that
 * converts best). `bins` ≤ 1 returns the spec as it is. `sorted`, when given, keeps each column's sorted training
 * values between calls with the same spec and leads (other bin counts), so each column is sorted once.
 *
 * Complexity: O(n log n · numeric columns).
 */
export function expandSpec(
  spec: FeatureSpec,
  input: ModelInput,
  bins: number,
  sorted: Map<string, Float64Array> = new Map(),
): FeatureSpec {
  if (bins <= 1) return spec;
  const n = input.features.leadId.length;
  const added: ModelColumn[] = [];
  for (const col of spec.columns) {
    if (col.kind !== 'numeric') continue;
    let v = sorted.get(col.name);
    if (!v) {
      v = Float64Array.from(numericColumn(input, col.from));
      for (let i = 0; i < n; i++) if (v[i] !== v[i]) v[i] = col.fill!;
      sorted.set(col.name, v.sort());
    }
    const cuts = sortedQuantileCuts(v, bins);
    if (cuts.length === 0) continue;
    const count = new Float64Array(cuts.length + 1);
    for (const x of v) count[binOf(cuts, x)]!++;
    for (let b = 0; b <= cuts.length; b++) {
      const lo = b === 0 ? null : cuts[b - 1]!;
      const hi = b === cuts.length ? null : cuts[b]!;
      const share = count[b]! / n;
      added.push({
        kind: 'bin',
        name: `${col.name}#${b + 1}`,
        label: `${col.label} in ${lo === null ? '(−∞' : `(${boundText(lo)}`}, ${hi === null ? '∞)' : `${boundText(hi)}]`}`,
        from: col.from,
        fill: col.fill,
        feature: col.name,
        lo,
        hi,
        mean: share,
        std: Math.sqrt(share * (1 - share)),
      });
    }
  }
  return { columns: [...spec.columns.filter((c) => c.kind !== 'bin'), ...added], notes: spec.notes };
}

/** Index of the bin (lo, hi] that holds x, given the ascending inner cuts. */
function binOf(cuts: readonly number[], x: number): number {
  let b = 0;
  while (b < cuts.length && x > cuts[b]!) b++;
  return b;
}

/** The expanded features of a spec: per feature its bins' inner cuts and the coefficient index of its first bin. */
function binGroups(spec: FeatureSpec, p: number): { col: ModelColumn; cuts: number[]; first: number }[] {
  const groups: { col: ModelColumn; cuts: number[]; first: number }[] = [];
  let k = p;
  for (const col of spec.columns) {
    if (col.kind !== 'bin') continue;
    const last = groups[groups.length - 1];
    if (col.lo === null || col.lo === undefined || !last || last.col.feature !== col.feature)
      groups.push({ col, cuts: [], first: k });
    else last.cuts.push(col.lo);
    k++;
  }
  return groups;
}

/**
 * The full model matrix of `input` under `spec`: the dense standardised part (`designMatrix`) and, when the spec has
 * bins, the sparse part: per lead, the coefficient index of the bin each expanded feature falls in.
 *
 * Complexity: O(n · columns).
 */
export function modelMatrix(
  spec: FeatureSpec,
  input: ModelInput,
): { x: Float64Array; n: number; p: number; bins: SparseBins | undefined } {
  const { x, n, p } = designMatrix(spec, input);
  return { x, n, p, bins: binMatrix(spec, input, p) };
}

/**
 * The sparse part of the model matrix alone: per lead, the coefficient index of the bin each expanded feature falls
 * in (`p` = the dense part's width, intercept included); undefined when the spec has no bins.
 *
 * Complexity: O(n · expanded features · bins).
 */
export function binMatrix(spec: FeatureSpec, input: ModelInput, p: number): SparseBins | undefined {
  const n = input.features.leadId.length;
  const groups = binGroups(spec, p);
  if (groups.length === 0) return undefined;
  const s = groups.length;
  const idx = new Int32Array(n * s);
  groups.forEach((g, t) => {
    const v = numericColumn(input, g.col.from);
    for (let i = 0; i < n; i++) {
      const raw = v[i]!;
      idx[i * s + t] = g.first + binOf(g.cuts, raw === raw ? raw : g.col.fill!);
    }
  });
  return { idx, s, count: spec.columns.length + 1 - p };
}

/** A model matrix (dense part and bins). */
export interface ModelMatrix {
  readonly x: Float64Array;
  readonly n: number;
  readonly p: number;
  readonly bins: SparseBins | undefined;
}

/** Rows `from` … `to − 1` of a model matrix, as views (no copy): the model matrix of those leads alone. */
export function matrixRows(m: ModelMatrix, from: number, to: number): ModelMatrix {
  const b = m.bins;
  return {
    x: m.x.subarray(from * m.p, to * m.p),
    n: to - from,
    p: m.p,
    bins: b && { idx: b.idx.subarray(from * b.s, to * b.s), s: b.s, count: b.count },
  };
}
