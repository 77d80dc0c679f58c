import {
  allocateLeadFeatures,
  LEAD_FEATURE_COLUMN_NAMES,
  MS_PER_DAY,
  publishDecision,
  trainConversionModel,
  type ConversionModel,
  type TrainingInput,
} from '../scoring';
import { toEpochMs } from '../store/featureChunkBuilder';
import type { FeatureChunk, ModelRegistry } from '../store/leadStore';
import type { JobLogger } from './jobLogger';

/** How the learned conversion model is trained, published and used (all from settings, see the README). */
export interface ModelPolicy {
  readonly enabled: boolean;
  readonly minWon: number;
  readonly minLost: number;
  /** Retrain when the last attempt is older than this. */
  readonly retrainEveryMs: number;
  /** Publish a new model regardless of its AUC when the published one is older than this. */
  readonly maxAgeMs: number;
  /** A fixed L2 strength; by default (undefined) it is chosen by cross-validation inside the fit split. */
  readonly l2?: number;
}

export const DEFAULT_MODEL_POLICY: ModelPolicy = {
  enabled: true,
  minWon: 40,
  minLost: 40,
  retrainEveryMs: MS_PER_DAY,
  maxAgeMs: 30 * MS_PER_DAY,
};

export interface ModelState {
  readonly model: ConversionModel | null;
  /** Why the heuristic is used, or which model is. */
  readonly note: string;
}

/** The outcome columns the training view adds; they are not features. */
const OUTCOME_COLUMNS = ['Outcome', 'ClosedDate'];

/**
 * All closed leads of the training view as one model input: the label is the view's Outcome (the status map's
 * category: won or lost), `asOf` = close date. Rows without either, or without a close date, are left out and counted.
 */
export async function loadTrainingInput(
  store: ModelRegistry,
  chunkSize = 20_000,
): Promise<{ input: TrainingInput; skipped: number }> {
  const chunks: { chunk: FeatureChunk; rows: number[]; labels: number[]; asOf: number[] }[] = [];
  let skipped = 0;
  let total = 0;
  for await (const chunk of store.readTrainingInput({ chunkSize })) {
    const outcome = chunk.extras.Outcome;
    const closed = chunk.extras.ClosedDate;
    const rows: number[] = [];
    const labels: number[] = [];
    const asOf: number[] = [];
    for (let i = 0; i < chunk.features.leadId.length; i++) {
      const s = outcome && !(outcome instanceof Float64Array) ? outcome[i] : null;
      const t = closed instanceof Float64Array ? closed[i]! : toEpochMs(closed?.[i] ?? null);
      const label = s === 'won' ? 1 : s === 'lost' ? 0 : -1;
      if (label < 0 || t === undefined || t !== t) {
        skipped++;
        continue;
      }
      rows.push(i);
      labels.push(label);
      asOf.push(t);
    }
    total += rows.length;
    chunks.push({ chunk, rows, labels, asOf });
  }
  const features = allocateLeadFeatures(total);
  const extras: Record<string, Float64Array | (string | null)[]> = {};
  const extraNames = Object.keys(chunks[0]?.chunk.extras ?? {}).filter((n) => !OUTCOME_COLUMNS.includes(n));
  for (const name of extraNames) {
    extras[name] =
      chunks[0]!.chunk.extras[name] instanceof Float64Array
        ? new Float64Array(total)
        : new Array<string | null>(total).fill(null);
  }
  const label = new Uint8Array(total);
  const asOf = new Float64Array(total);
  let k = 0;
  for (const { chunk, rows, labels, asOf: times } of chunks) {
    rows.forEach((i, r) => {
      for (const name of LEAD_FEATURE_COLUMN_NAMES) features[name][k] = chunk.features[name][i]!;
      for (const name of extraNames) {
        const src = chunk.extras[name];
        const dst = extras[name]!;
        if (dst instanceof Float64Array)
          dst[k] = src instanceof Float64Array ? src[i]! : Number(src?.[i] ?? NaN);
        else
          dst[k] =
            src instanceof Float64Array ? (src[i]! === src[i]! ? String(src[i]) : null) : (src?.[i] ?? null);
      }
      label[k] = labels[r]!;
      asOf[k] = times[r]!;
      k++;
    });
  }
  return { input: { features, asOf, label, extras }, skipped };
}

/**
 * The model this run scores with: retrains when the last attempt is older than the cadence (recording every attempt,
 * published or not, and why), publishes through the gate, and otherwise uses the published model. A dry run never
 * trains, nor does a run with `train: false` (a subset rerun: training inside an HTTP request for three leads would
 * make the request as slow as a full pass). Without a published model the heuristic stays, and the note says why.
 */
export async function prepareModel(
  store: ModelRegistry,
  now: number,
  policy: ModelPolicy,
  log: JobLogger,
  options: { dryRun: boolean; train?: boolean },
): Promise<ModelState> {
  if (!policy.enabled)
    return { model: null, note: 'heuristic: the learned model is disabled (MODEL_ENABLED=false)' };
  let current = await store.latestPublishedModel();
  let last = await store.lastModelAttempt();
  const mayTrain = !options.dryRun && options.train !== false;
  if (mayTrain && (last === null || now - last.trainedAt >= policy.retrainEveryMs)) {
    const { input, skipped } = await loadTrainingInput(store);
    const result = trainConversionModel(input, {
      now,
      minWon: policy.minWon,
      minLost: policy.minLost,
      l2: policy.l2,
      current,
    });
    let won = 0;
    for (const y of input.label) won += y;
    const lost = input.label.length - won;
    let note: string;
    if ('insufficient' in result) {
      note = `heuristic: ${result.insufficient}`;
      await store.saveModel({ trainedAt: now, model: null, won, lost, published: false, note });
    } else {
      const m = result.model;
      const { publish, reason } = publishDecision(m, current, policy.maxAgeMs);
      const auc = m.metrics.holdout.auc.toFixed(3);
      note = publish
        ? `published model ${m.version}: holdout AUC ${auc} on ${m.counts.holdout} leads (${reason})`
        : current
          ? `kept model ${current.version}: ${reason}`
          : `heuristic: ${reason}`;
      await store.saveModel({ trainedAt: now, model: m, won, lost, published: publish, note });
      if (publish) current = m;
    }
    if (skipped > 0)
      log.warn(`Training: ${skipped} closed leads without a won/lost outcome or a close date were left out`);
    log.info(`Training on ${won} won and ${lost} lost closed leads: ${note}`);
    last = { trainedAt: now, note };
  }
  if (current)
    return {
      model: current,
      note: `model ${current.version} (holdout AUC ${current.metrics.holdout.auc.toFixed(3)})`,
    };
  return {
    model: null,
    note: last?.note?.startsWith('heuristic') ? last.note : 'heuristic: no model has been trained yet',
  };
}
