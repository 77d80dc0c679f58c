import { allocateLeadFeatures, LEAD_FEATURE_COLUMN_NAMES } from '../leadFeatures';
import type { ModelInput } from './modelFeatures';

/** Rows `idx` of a model input (copies). */
export function selectRows<T extends ModelInput>(input: T, idx: ArrayLike<number>): T {
  const m = idx.length;
  const f = allocateLeadFeatures(m);
  for (const name of LEAD_FEATURE_COLUMN_NAMES) {
    const src = input.features[name];
    const dst = f[name];
    for (let k = 0; k < m; k++) dst[k] = src[idx[k]!]!;
  }
  const extras: Record<string, Float64Array | (string | null)[]> = {};
  for (const [name, col] of Object.entries(input.extras)) {
    if (col instanceof Float64Array) {
      const out = new Float64Array(m);
      for (let k = 0; k < m; k++) out[k] = col[idx[k]!]!;
      extras[name] = out;
    } else {
      const out = new Array<string | null>(m);
      for (let k = 0; k < m; k++) out[k] = col[idx[k]!] ?? null;
      extras[name] = out;
    }
  }
  const asOf = new Float64Array(m);
  for (let k = 0; k < m; k++) asOf[k] = input.asOf[idx[k]!]!;
  const out: Record<string, unknown> = { ...(input as ModelInput), features: f, asOf, extras };
  if (input.baseValues) {
    const values: Record<string, Float64Array> = {};
    for (const [name, col] of Object.entries(input.baseValues)) {
      const v = new Float64Array(m);
      for (let k = 0; k < m; k++) v[k] = col[idx[k]!]!;
      values[name] = v;
    }
    out.baseValues = values;
  }
  if ('label' in input) {
    const src = (input as unknown as { label: Uint8Array }).label;
    const label = new Uint8Array(m);
    for (let k = 0; k < m; k++) label[k] = src[idx[k]!]!;
    out.label = label;
  }
  return out as T;
}

/**
 * Rows `from` … `to − 1` of a model input without copying them: typed columns are views (`subarray`) of the input's,
 * text columns shallow slices. The same leads as `selectRows` over that range.
 */
export function rowRange<T extends ModelInput>(input: T, from: number, to: number): T {
  const f = allocateLeadFeatures(0); // the batch's own shape, so the hot loops stay monomorphic
  for (const name of LEAD_FEATURE_COLUMN_NAMES)
    (f as Record<string, unknown>)[name] = input.features[name].subarray(from, to);
  const extras: Record<string, Float64Array | readonly (string | null)[]> = {};
  for (const [name, col] of Object.entries(input.extras))
    extras[name] = col instanceof Float64Array ? col.subarray(from, to) : col.slice(from, to);
  const out: Record<string, unknown> = {
    ...(input as ModelInput),
    features: f,
    asOf: input.asOf.subarray(from, to),
    extras,
  };
  if (input.baseValues) {
    const values: Record<string, Float64Array> = {};
    for (const [name, col] of Object.entries(input.baseValues)) values[name] = col.subarray(from, to);
    out.baseValues = values;
  }
  if ('label' in input) out.label = (input as unknown as { label: Uint8Array }).label.subarray(from, to);
  return out as T;
}
