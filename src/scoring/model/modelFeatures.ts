import { LEAD_SOURCES, MS_PER_DAY } from '../codes';
import { overdueDaysOf } from '../computeOverdueDays';
import type { LeadFeatureBatch } from '../leadFeatures';

/** What a model sees of a set of leads: the core's feature columns, each lead's "as of" time, and the view's extras. */
export interface ModelInput {
  readonly features: LeadFeatureBatch;
  /** Per lead: the close date (training) or the run's now (scoring). */
  readonly asOf: Float64Array;
  readonly extras: Readonly<Record<string, Float64Array | readonly (string | null)[]>>;
  /**
   * The standard features' values for these leads, when already worked out (`withBaseValues`): training encodes the
   * same leads several times. Absent, they are computed from `features` and `asOf`.
   */
  readonly baseValues?: Readonly<Partial<Record<BaseFeature, Float64Array>>>;
}

/** The standard features derived from the core's columns, with their labels. Status is not one: see docs/model.md. */
const BASE = {
  daysSinceActivity: 'Days since last activity (log)',
  leadAgeDays: 'Lead age in days (log)',
  overdueDays: 'Days overdue (log)',
  pendingFollowUps: 'Pending follow-ups (log)',
  completedFollowUps: 'Completed follow-ups (log)',
  completedFollowUps30d: 'Follow-ups completed in 30 days (log)',
  visits: 'Visits (log)',
  visits30d: 'Visits in 30 days (log)',
  estimatedValue: 'Estimated value (log)',
} as const;
export type BaseFeature = keyof typeof BASE;

export type ColumnSource =
  { readonly base: BaseFeature } | { readonly extra: string } | { readonly source: true };

/**
 * One column of the design matrix: standardised (`numeric`, `missing`, `level`), or a 0/1 quantile bin of a numeric
 * feature (`bin`, kept unstandardised and sparse; bins come after every other column).
 */
export interface ModelColumn {
  readonly kind: 'numeric' | 'missing' | 'level' | 'bin';
  readonly name: string;
  readonly label: string;
  readonly from: ColumnSource;
  /** For `level`: the category this column is 1 for. */
  readonly level?: string;
  /** Value used for a missing numeric (the training mean, before standardising). */
  readonly fill?: number;
  readonly mean: number;
  readonly std: number;
  /** For `bin`: the numeric column it expands, and its bounds (lo, hi]; null = unbounded. */
  readonly feature?: string;
  readonly lo?: number | null;
  readonly hi?: number | null;
}

export interface FeatureSpec {
  readonly columns: ModelColumn[];
  /** What was dropped or pooled, and why. */
  readonly notes: string[];
}

export const UNKNOWN = '(unknown)';
export const OTHER = '(other)';
const log1pDays = (ms: number): number => Math.log1p(Math.max(0, ms) / MS_PER_DAY);

/** Raw value of a base feature for lead i (NaN = missing). */
export function baseValue(f: LeadFeatureBatch, i: number, asOf: number, name: BaseFeature): number {
  switch (name) {
    case 'daysSinceActivity': {
      let last = NaN;
      for (const d of [f.lastContactAt[i]!, f.lastFollowUpCompletedAt[i]!, f.lastVisitAt[i]!]) {
        if (d <= asOf && !(d <= last)) last = d; // dates after the as-of time would leak the future
      }
      return last === last ? log1pDays(asOf - last) : NaN;
    }
    case 'leadAgeDays':
      return f.createdAt[i]! === f.createdAt[i]! ? log1pDays(asOf - f.createdAt[i]) : NaN;
    case 'overdueDays':
      return Math.log1p(overdueDaysOf(f.nextFollowUpDueAt[i]!, asOf));
    case 'pendingFollowUps':
      return Math.log1p(f.pendingFollowUps[i]!);
    case 'completedFollowUps':
      return Math.log1p(f.completedFollowUps[i]!);
    case 'completedFollowUps30d':
      return Math.log1p(f.completedFollowUps30d[i]!);
    case 'visits':
      return Math.log1p(f.visits[i]!);
    case 'visits30d':
      return Math.log1p(f.visits30d[i]!);
    case 'estimatedValue':
      return f.estimatedValue[i]! > 0 ? Math.log1p(f.estimatedValue[i]!) : NaN;
  }
}

/** The text category of lead i in a categorical column: "(unknown)" for NULL, "(other)" for an unlisted source. */
export function categoryOf(input: ModelInput, i: number, from: ColumnSource): string {
  if ('source' in from) {
    const code = input.features.source[i]!;
    return code === 0 ? UNKNOWN : (LEAD_SOURCES[code] ?? OTHER);
  }
  const col = 'extra' in from ? input.extras[from.extra] : undefined;
  const v = col && !(col instanceof Float64Array) ? col[i] : null;
  return v === null || v === undefined || v === '' ? UNKNOWN : v;
}

/** `categoryOf` for every lead at once (the column is looked up once, not per lead): the same categories. */
export function categoryColumn(input: ModelInput, from: ColumnSource): string[] {
  const n = input.features.leadId.length;
  const out = new Array<string>(n);
  if ('source' in from) {
    for (let i = 0; i < n; i++) out[i] = categoryOf(input, i, from);
    return out;
  }
  const col = 'extra' in from ? input.extras[from.extra] : undefined;
  const text = col && !(col instanceof Float64Array) ? col : null;
  for (let i = 0; i < n; i++) {
    const v = text ? text[i] : null;
    out[i] = v === null || v === undefined || v === '' ? UNKNOWN : v;
  }
  return out;
}

/** The model's value (before standardising) of lead i in a numeric column; NaN = missing. */
export function numericOf(input: ModelInput, i: number, from: ColumnSource): number {
  if ('base' in from) return baseValue(input.features, i, input.asOf[i]!, from.base);
  const col = 'extra' in from ? input.extras[from.extra] : undefined;
  return col instanceof Float64Array ? col[i]! : NaN;
}

/**
 * `numericOf` for every lead at once (the column is looked up once, not per lead): the same values. The result may be
 * the input's own array (an extra, or a precomputed standard feature): read it, do not write it.
 *
 * Complexity: O(n).
 */
export function numericColumn(input: ModelInput, from: ColumnSource): Float64Array {
  const n = input.features.leadId.length;
  if ('base' in from) {
    const known = input.baseValues?.[from.base];
    if (known) return known;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = baseValue(input.features, i, input.asOf[i]!, from.base);
    return out;
  }
  const col = 'extra' in from ? input.extras[from.extra] : undefined;
  if (col instanceof Float64Array && col.length === n) return col;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = col instanceof Float64Array ? col[i]! : NaN;
  return out;
}

/** The input with every standard feature worked out once (`baseValues`), for encoding its leads several times. */
export function withBaseValues<T extends ModelInput>(input: T): T {
  const base = { ...input, baseValues: undefined };
  const values: Partial<Record<BaseFeature, Float64Array>> = {};
  for (const b of Object.keys(BASE) as BaseFeature[]) values[b] = numericColumn(base, { base: b });
  return { ...input, baseValues: values };
}

function meanStd(values: Float64Array): { mean: number; std: number } {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i]!;
  const mean = n ? s / n : 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    q += d * d; // not `** 2`: a call to pow per value (which returns x·x for y = 2, so the same sum)
  }
  return { mean, std: values.length > 1 ? Math.sqrt(q / values.length) : 0 };
}

/**
 * Learns the feature encoding from training leads: every standard feature and every extra column; numeric ones
 * standardised, with a missing-value indicator when any value is missing (the value itself then filled with the
 * mean); text ones one-hot, levels rarer than `minLevelCount` pooled into "(other)", NULL as "(unknown)". Constant
 * columns and all-missing extras are dropped with a note.
 *
 * Complexity: O(n · columns).
 */
export function fitFeatureSpec(
  input: ModelInput,
  options: { minLevelCount?: number; maxLevels?: number } = {},
): FeatureSpec {
  const n = input.features.leadId.length;
  const minLevel = options.minLevelCount ?? Math.max(10, Math.ceil(n * 0.005));
  const maxLevels = options.maxLevels ?? 30;
  const columns: ModelColumn[] = [];
  const notes: string[] = [];
  const numericSources: [ColumnSource, string, string][] = (Object.keys(BASE) as BaseFeature[]).map((b) => [
    { base: b },
    b,
    BASE[b],
  ]);
  const categorical: [ColumnSource, string][] = [[{ source: true }, 'source']];
  for (const [name, col] of Object.entries(input.extras)) {
    if (col instanceof Float64Array) numericSources.push([{ extra: name }, name, name]);
    else categorical.push([{ extra: name }, name]);
  }

  for (const [from, name, label] of numericSources) {
    const raw = numericColumn(input, from);
    let missing = 0;
    for (let i = 0; i < n; i++) if (raw[i] !== raw[i]) missing++;
    if (missing === n) {
      notes.push(`dropped "${name}": no value in the training data`);
      continue;
    }
    // (loops rather than filter/map callbacks; with nothing missing, the present and filled values are `raw` itself)
    const present = missing === 0 ? raw : new Float64Array(n - missing);
    if (missing > 0) for (let i = 0, k = 0; i < n; i++) if (raw[i] === raw[i]) present[k++] = raw[i]!;
    const whole = meanStd(present);
    const fill = whole.mean;
    const filled = missing === 0 ? raw : new Float64Array(n);
    if (missing > 0) for (let i = 0; i < n; i++) filled[i] = raw[i] === raw[i] ? raw[i]! : fill;
    const { mean, std } = missing === 0 ? whole : meanStd(filled);
    if (std === 0) notes.push(`dropped "${name}": constant in the training data`);
    else columns.push({ kind: 'numeric', name, label, from, fill, mean, std });
    if (missing > 0) {
      const ind = new Float64Array(n);
      for (let i = 0; i < n; i++) ind[i] = raw[i] === raw[i] ? 0 : 1;
      const s = meanStd(ind);
      columns.push({
        kind: 'missing',
        name: `${name}:missing`,
        label: `${label} missing`,
        from,
        mean: s.mean,
        std: s.std,
      });
    }
  }

  for (const [from, name] of categorical)
    fitLevelColumns(input, from, name, { minLevel, maxLevels }, columns, notes);
  return { columns, notes };
}

/**
 * The one-hot columns of one text column: levels rarer than `minLevel` (or beyond `maxLevels`) pooled into "(other)",
 * NULL as "(unknown)"; a level no training lead has (or all have) is left out.
 */
function fitLevelColumns(
  input: ModelInput,
  from: ColumnSource,
  name: string,
  limits: { readonly minLevel: number; readonly maxLevels: number },
  columns: ModelColumn[],
  notes: string[],
): void {
  const { minLevel, maxLevels } = limits;
  const n = input.features.leadId.length;
  const counts = new Map<string, number>();
  for (const c of categoryColumn(input, from)) counts.set(c, (counts.get(c) ?? 0) + 1);
  const kept = [...counts.entries()]
    .filter(([level, c]) => level !== UNKNOWN && c >= minLevel)
    .sort((a, b) => b[1] - a[1])
    .slice(0, maxLevels)
    .map(([level]) => level);
  const pooled = [...counts.keys()].filter((l) => l !== UNKNOWN && !kept.includes(l));
  if (pooled.length) notes.push(`"${name}": ${pooled.length} rare level(s) pooled into ${OTHER}`);
  const levels = [...kept, ...(pooled.length ? [OTHER] : []), UNKNOWN];
  for (const level of levels) {
    const share =
      (level === OTHER ? pooled.reduce((s, l) => s + counts.get(l)!, 0) : (counts.get(level) ?? 0)) /
      Math.max(1, n);
    const std = Math.sqrt(share * (1 - share));
    if (std === 0) continue; // a level no training lead has (or all have) carries no information
    columns.push({
      kind: 'level',
      name: `${name}=${level}`,
      label: `${name === 'source' ? 'Source' : name} = ${level}`,
      from,
      level,
      mean: share,
      std,
    });
  }
}
