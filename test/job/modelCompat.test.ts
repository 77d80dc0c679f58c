import { DEFAULT_MODEL_POLICY, prepareModel } from '../../src/job/prepareModel';
import type { JobLogger } from '../../src/job';
import {
  allocateLeadFeatures,
  conversionPushes,
  scoreWithModel,
  predictConversion,
  type ConversionModel,
} from '../../src/scoring';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { tempStore } from '../helpers/tempStore';

const NOW = Date.UTC(2025, 9, 14, 9, 30);
const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A model exactly as the version before the bin expansion saved it: no bins, no `isotonic`, Platt scaling, metrics
 * without `calibration`, `selection` or `gate`. One numeric extra `x` (mean 2, deviation 1) and intercept 0.5.
 */
const previousVersionModel = {
  version: '2025-10-01T00:00:00.000Z',
  trainedAt: Date.UTC(2025, 9, 1),
  window: { from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 8, 30) },
  spec: {
    columns: [{ kind: 'numeric', name: 'x', label: 'x', from: { extra: 'x' }, fill: 2, mean: 2, std: 1 }],
    notes: [],
  },
  coef: [0.5, 1],
  platt: { a: 2, b: -1 },
  metrics: {
    holdout: { n: 100, auc: 0.7, brier: 0.2, logLoss: 0.6, ece: 0.02, calibration: [] },
    kFold: null,
    calibrated: true,
  },
  counts: { won: 100, lost: 100, fit: 128, calibration: 32, holdout: 40 },
  l2: 1,
};

describe('a model saved by the previous version', () => {
  it('loads from the registry and scores as it did: Platt over the linear score, reasons per feature', async () => {
    const t = tempStore();
    try {
      await t.store.saveModel({
        trainedAt: previousVersionModel.trainedAt,
        model: previousVersionModel as unknown as ConversionModel,
        won: 100,
        lost: 100,
        published: true,
        note: 'published',
      });
      const loaded = await t.store.latestPublishedModel();
      const features = allocateLeadFeatures(2);
      const lead = { features, asOf: Float64Array.of(NOW, NOW), extras: { x: Float64Array.of(3, NaN) } };
      // x = 3: z = (3 − 2)/1 = 1, η = 0.5 + 1 = 1.5; Platt: −1 + 2 · 1.5 = 2 → σ(2) = 0.880797 → 88.08
      // x missing: filled with 2, z = 0, η = 0.5; Platt: −1 + 2 · 0.5 = 0 → σ(0) = ½ → 50
      expect(predictConversion(loaded!, lead)).toStrictEqual(Float64Array.of(88.08, 50));
      // its reason: x's push on the log-odds, coefficient 1 × z: 1 for the first lead, 0 for the second (at the mean)
      const pushes = conversionPushes(loaded!, scoreWithModel(loaded!, lead), 2);
      expect(pushes.fields).toStrictEqual(['x']);
      expect(pushes.push).toStrictEqual(Float64Array.of(1, 0));
    } finally {
      await t.cleanup();
    }
  });

  it('stays the published model through a retraining, which scores it on the new holdout for the gate', async () => {
    const t = tempStore();
    try {
      generateCrm(t.store.connection, { leads: 100, closedLeads: 1500, now: NOW, seed: 9 });
      await t.store.saveModel({
        trainedAt: previousVersionModel.trainedAt,
        model: previousVersionModel as unknown as ConversionModel,
        won: 100,
        lost: 100,
        published: true,
        note: 'published',
      });
      const state = await prepareModel(t.store, NOW, DEFAULT_MODEL_POLICY, quiet, { dryRun: false });
      const latest = await t.store.latestPublishedModel();
      // the old model has no `x` in this CRM (every value reads as its fill): it ranks nothing, AUC ½ on the new
      // holdout, so the new model (AUC well above ½ · 1/0.95) replaces it
      expect(latest!.metrics.gate!.currentAuc).toBe(0.5);
      expect(state.model!.version).toBe(new Date(NOW).toISOString());
    } finally {
      await t.cleanup();
    }
  });
});
