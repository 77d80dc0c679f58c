import { dueUrgencyOf, priorityOf, scalePriority, type PriorityParams } from '../computePriority';
import type { LeadScoreBatch } from '../leadScores';
import { applyCalibration } from './calibrate';
import type { ConversionModel } from './conversionModel';
import type { SparseBins } from './logisticRegression';
import { categoryOf, numericOf, type ColumnSource, type ModelInput } from './modelFeatures';

/**
 * One CRM field's push on a lead's AIPriority through the learned conversion model, in the same shape as the
 * heuristic's factors (`PriorityFactor` of explainPriority): `factor` is the field ("overdueDays", "source"), the label says what this
 * lead has in the rep's words ("5 days overdue", "referral source"), `points` is on the AIPriority scale.
 */
export interface ConversionFactor {
  readonly factor: string;
  readonly label: string;
  readonly points: number;
}

/**
 * The columns of one CRM field: a numeric value with its missing indicator and its quantile bins (docs/model.md), or
 * the one-hot levels of a text. Bins are never reported on their own: they add into their field's push.
 */
interface FieldGroup {
  readonly field: string;
  readonly kind: 'numeric' | 'level';
  readonly from: ColumnSource;
  /** Design-matrix columns (1-based: 0 is the intercept). */
  readonly columns: number[];
  /** The field's bin groups: index into the sparse bin matrix, and the training average of their coefficients. */
  readonly bins: { readonly t: number; readonly centre: number }[];
}

function fieldGroups(model: ConversionModel): FieldGroup[] {
  const groups = new Map<string, FieldGroup>();
  let t = -1;
  let lastBinFeature: string | undefined;
  model.spec.columns.forEach((c, j) => {
    if (c.kind === 'bin') {
      // a new group starts at a feature's first bin (lo null) or at another feature (binExpansion's binGroups)
      if (c.lo === null || c.lo === undefined || c.feature !== lastBinFeature) {
        t++;
        groups.get(c.feature!.replace(/:missing$/, ''))?.bins.push({ t, centre: 0 });
      }
      lastBinFeature = c.feature;
      const g = groups.get(c.feature!.replace(/:missing$/, ''));
      const last = g?.bins[g.bins.length - 1];
      if (last && last.t === t) (last as { centre: number }).centre += c.mean * model.coef[j + 1]!;
      return;
    }
    const level = c.kind === 'level';
    const field = level ? c.name.slice(0, c.name.indexOf('=')) : c.name.replace(/:missing$/, '');
    let g = groups.get(field);
    if (!g) {
      g = { field, kind: level ? 'level' : 'numeric', from: c.from, columns: [], bins: [] };
      groups.set(field, g);
    }
    g.columns.push(j + 1);
  });
  return [...groups.values()];
}

const plural = (k: number, one: string, many: string): string => `${k} ${k === 1 ? one : many}`;

/** What lead i has in one field, in the rep's words and units (never a level or condition it does not have). */
export function conversionFieldLabel(
  field: string,
  from: ColumnSource,
  input: ModelInput,
  i: number,
): string {
  if ('source' in from) {
    const s = categoryOf(input, i, from);
    if (s === '(unknown)') return 'no lead source recorded';
    if (s === '(other)') return 'a rarely seen lead source';
    return `${s === 'ColdCall' ? 'cold call' : s.toLowerCase()} source`;
  }
  if (!('base' in from)) {
    const v = numericOf(input, i, from);
    if (v === v) return `${field} ${v}`;
    const c = categoryOf(input, i, from);
    return c === '(unknown)' ? `${field} not set` : `${field}: ${c}`;
  }
  const raw = numericOf(input, i, from);
  // base features are log1p of days, counts or value: expm1 gives the rep's number back
  const k = raw === raw ? Math.round(Math.expm1(raw)) : NaN;
  switch (from.base) {
    case 'daysSinceActivity':
      return k === k
        ? k === 0
          ? 'activity today'
          : `no activity in ${plural(k, 'day', 'days')}`
        : 'no activity recorded';
    case 'leadAgeDays':
      return k === k ? `lead ${plural(k, 'day', 'days')} old` : 'creation date not recorded';
    case 'overdueDays':
      return k > 0 ? `${plural(k, 'day', 'days')} overdue` : 'nothing overdue';
    case 'pendingFollowUps':
      return k > 0 ? plural(k, 'pending follow-up', 'pending follow-ups') : 'no pending follow-up';
    case 'completedFollowUps':
      return k > 0 ? plural(k, 'completed follow-up', 'completed follow-ups') : 'no completed follow-up';
    case 'completedFollowUps30d':
      return k > 0
        ? `${plural(k, 'follow-up', 'follow-ups')} completed in 30 days`
        : 'no follow-up completed in 30 days';
    case 'visits':
      return k > 0 ? plural(k, 'visit', 'visits') : 'no visit yet';
    case 'visits30d':
      return k > 0 ? `${plural(k, 'visit', 'visits')} in 30 days` : 'no visit in 30 days';
    case 'estimatedValue':
      return k > 0 ? `deal value ${k}` : 'no deal value set';
  }
}

type Design = { readonly x: Float64Array; readonly p: number; readonly bins?: SparseBins | undefined };

/**
 * Each CRM field's push on each lead's conversion log-odds, relative to the average training lead: coefficient ×
 * standardised value over the field's columns (a text field: its whole one-hot group), plus, for a numeric field
 * with quantile bins, the lead's bin coefficient less the training average of the field's bin coefficients (bins are
 * never reported on their own). `z` is the lead's whole linear predictor. Row-major: `push[i * fields.length + k]`.
 *
 * Complexity: O(n · columns).
 */
export function conversionPushes(
  model: ConversionModel,
  design: Design,
  n: number,
): { fields: string[]; push: Float64Array; z: Float64Array } {
  const groups = fieldGroups(model);
  return { fields: groups.map((g) => g.field), ...pushesOf(model, groups, design, n) };
}

function pushesOf(
  model: ConversionModel,
  groups: FieldGroup[],
  design: Design,
  n: number,
): { push: Float64Array; z: Float64Array } {
  const { x, p, bins } = design;
  const coef = model.coef;
  const g = groups.length;
  const push = new Float64Array(n * g);
  const z = new Float64Array(n);
  // the centred bin pushes leave this much of the linear predictor with no field
  let centres = 0;
  for (const f of groups) for (const b of f.bins) centres += b.centre;
  for (let i = 0; i < n; i++) {
    let zi = coef[0]! + centres;
    groups.forEach((f, k) => {
      let s = 0;
      for (const j of f.columns) s += coef[j]! * x[i * p + j]!;
      if (bins) for (const b of f.bins) s += coef[bins.idx[i * bins.s + b.t]!]! - b.centre;
      push[i * g + k] = s;
      zi += s;
    });
    z[i] = zi;
  }
  return { push, z };
}

/**
 * Why the learned model puts each lead's conversion where it is, as AIPriority points: per CRM field, the change in
 * AIPriority if that field alone were at the average training lead (`conversionPushes`), i.e. conversion recomputed
 * without the field's log-odds push, through the model's calibration, the priority formula and its scale. A text
 * field is one factor named by the lead's own level, so no factor names a level the lead does not have. The top
 * three up and the top three down, zeros left out.
 *
 * Complexity: O(n · columns).
 */
export function explainConversion(
  model: ConversionModel,
  input: ModelInput,
  design: Design,
  scores: LeadScoreBatch,
  estimatedValue: Float64Array,
  pp: PriorityParams,
): ConversionFactor[][] {
  const groups = fieldGroups(model);
  const g = groups.length;
  const n = scores.leadId.length;
  const { push, z } = pushesOf(model, groups, design, n);
  const points = new Float64Array(g);
  const without = new Float64Array(g);
  const out: ConversionFactor[][] = [];
  for (let i = 0; i < n; i++) {
    const h = scores.health[i]!;
    const od = scores.overdueDays[i]!;
    const v = scores.velocity[i]!;
    const due = dueUrgencyOf(scores.followUpStatus[i]!);
    const value = estimatedValue[i]!;
    const now = scalePriority(priorityOf(scores.conversion[i]!, value, h, od, v, due, pp));
    for (let k = 0; k < g; k++) without[k] = 1 / (1 + Math.exp(-(z[i]! - push[i * g + k]!)));
    const calibrated = applyCalibration(without, model);
    for (let k = 0; k < g; k++) {
      const c = Math.round(calibrated[k]! * 10_000) / 100;
      points[k] = Math.round(10 * (now - scalePriority(priorityOf(c, value, h, od, v, due, pp)))) / 10;
    }
    out.push(topFactors(groups, points, input, i));
  }
  return out;
}

function topFactors(
  groups: FieldGroup[],
  points: Float64Array,
  input: ModelInput,
  i: number,
): ConversionFactor[] {
  const idx = groups.map((_, k) => k).filter((k) => points[k] !== 0);
  const up = idx
    .filter((k) => points[k]! > 0)
    .sort((a, b) => points[b]! - points[a]!)
    .slice(0, 3);
  const down = idx
    .filter((k) => points[k]! < 0)
    .sort((a, b) => points[a]! - points[b]!)
    .slice(0, 3);
  return [...up, ...down].map((k) => ({
    factor: groups[k]!.field,
    label: conversionFieldLabel(groups[k]!.field, groups[k]!.from, input, i),
    points: points[k]!,
  }));
}
