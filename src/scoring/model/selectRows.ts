import { allocateLeadFeatures, LEAD_FEATURE_COLUMN_NAMES } from '../leadFeatures';
import type { ModelInput } from './modelFeatures';

/** Rows `idx` of a model input (copies). */
export function selectRows<T extends ModelInput>(input: T, idx: ArrayLike<number>): T {
  const f = allocateLeadFeatures(idx.length);
  for (const name of LEAD_FEATURE_COLUMN_NAMES) {
    const src = input.features[name];
    const dst = f[name];
    for (let k = 0; k < idx.length; k++) dst[k] = src[idx[k]!]!;
  }
  const extras: Record<string, Float64Array | (string | null)[]> = {};
  for (const [name, col] of Object.entries(input.extras)) {
    extras[name] =
      col instanceof Float64Array
        ? Float64Array.from(idx, (i) => col[i]!)
        : Array.from(idx, (i) => col[i] ?? null);
  }
  const out: Record<string, unknown> = {
    ...(input as ModelInput),
    features: f,
    asOf: Float64Array.from(idx, (i) => input.asOf[i]!),
    extras,
  };
  if ('label' in input)
    out.label = Uint8Array.from(idx, (i) => (input as unknown as { label: Uint8Array }).label[i]!);
  return out as T;
}
