import {
  applyIsotonic,
  chooseCalibration,
  fitIsotonic,
  fitPlatt,
  publishDecision,
  shouldPublish,
  type ConversionModel,
} from '../../../src/scoring';

/**
 * `per` leads at each score, won at exactly `rates[k]` within every residue class mod 5 (the calibration folds):
 * lead i of a level is won when ⌊i/5⌋ mod 10 < 10 · rate.
 */
function levels(scores: readonly number[], rates: readonly number[], per = 100): [Float64Array, Uint8Array] {
  const p: number[] = [];
  const y: number[] = [];
  scores.forEach((s, k) => {
    for (let i = 0; i < per; i++) {
      p.push(s);
      y.push(Math.floor(i / 5) % 10 < 10 * rates[k]! ? 1 : 0);
    }
  });
  return [Float64Array.from(p), Uint8Array.from(y)];
}

describe('fitIsotonic', () => {
  it('pools adjacent violators: 0.1→0, 0.2→1, 0.3→0, 0.4→1 gives steps 0.001, ½, 0.999', () => {
    // (0.2, 1) and (0.3, 0) violate the order and pool to ½; the ends are kept off 0 and 1
    expect(fitIsotonic(Float64Array.of(0.1, 0.2, 0.3, 0.4), Uint8Array.of(0, 1, 0, 1))).toStrictEqual({
      x: [0.1, 0.2, 0.4],
      y: [0.001, 0.5, 0.999],
    });
  });

  it('pools tied scores first and maps a score to the step at or below it', () => {
    const iso = fitIsotonic(Float64Array.of(0.3, 0.3, 0.6, 0.6), Uint8Array.of(0, 1, 1, 1));
    expect(iso).toStrictEqual({ x: [0.3, 0.6], y: [0.5, 0.999] });
    expect(applyIsotonic(Float64Array.of(0.1, 0.3, 0.5, 0.6, 0.9), iso)).toStrictEqual(
      Float64Array.of(0.5, 0.5, 0.5, 0.999, 0.999),
    );
  });
});

describe('fitPlatt', () => {
  it('maps two score levels onto their observed rates: 0.2 → ½ and 0.8 → 0.9', () => {
    // b + a·logit(0.2) = logit(0.5) = 0 and b + a·logit(0.8) = logit(0.9) = ln 9, with logit(0.8) = −logit(0.2)
    // = ln 4: a = ln 9 / (2 ln 4) = 0.79248, b = ln 9 / 2 = ln 3 = 1.09861
    const platt = fitPlatt(...levels([0.2, 0.8], [0.5, 0.9]));
    expect(platt.a).toBeCloseTo(Math.log(9) / (2 * Math.log(4)), 4);
    expect(platt.b).toBeCloseTo(Math.log(3), 4);
  });
});

describe('chooseCalibration', () => {
  it('keeps the scores when they are already calibrated (no map beats "none" by 1e-4)', () => {
    const c = chooseCalibration(...levels([0.2, 0.8], [0.2, 0.8]));
    expect(c.kind).toBe('none');
    // −(0.2 ln 0.2 + 0.8 ln 0.8) at both levels = 0.500402
    expect(c.logLoss.none).toBeCloseTo(0.500402, 5);
    expect(c.platt).toBeNull();
    expect(c.isotonic).toBeNull();
  });

  it('chooses Platt when a shift in log-odds explains the miscalibration (isotonic only ties it)', () => {
    const c = chooseCalibration(...levels([0.2, 0.8], [0.5, 0.9]));
    expect(c.kind).toBe('platt');
    // both maps reproduce the two rates exactly: −(½ ln ½ + ½ ln ½ + 0.9 ln 0.9 + 0.1 ln 0.1) / 2 = (0.693147 + 0.325083) / 2
    expect(c.logLoss.platt).toBeCloseTo(0.509115, 4);
    expect(c.logLoss.isotonic).toBeCloseTo(0.509115, 4);
    expect(c.platt!.b).toBeCloseTo(Math.log(3), 4);
  });

  it('chooses isotonic when the rates bend in a way no Platt curve follows (0.2, 0.5, 0.8 → 0.1, 0.8, 0.9)', () => {
    const c = chooseCalibration(...levels([0.2, 0.5, 0.8], [0.1, 0.8, 0.9]));
    expect(c.kind).toBe('isotonic');
    expect(c.isotonic).toStrictEqual({ x: [0.2, 0.5, 0.8], y: [0.1, 0.8, 0.9] });
    // the three rates exactly: −(0.1 ln 0.1 + 0.9 ln 0.9 + 0.8 ln 0.8 + 0.2 ln 0.2 + 0.9 ln 0.9 + 0.1 ln 0.1) / 3
    expect(c.logLoss.isotonic).toBeCloseTo(0.383523, 4);
    expect(c.logLoss.platt).toBeGreaterThan(c.logLoss.isotonic + 0.01);
  });

  it('fits nothing below 50 leads', () => {
    expect(chooseCalibration(...levels([0.2, 0.8], [0.5, 0.9], 20)).kind).toBe('none');
  });
});

describe('publishDecision', () => {
  const model = (
    auc: number,
    trainedAt: number,
    gate?: { baselineAuc: number; currentAuc: number | null },
  ): ConversionModel =>
    ({
      version: `v${trainedAt}`,
      trainedAt,
      metrics: { holdout: { auc }, gate },
    }) as unknown as ConversionModel;

  it('refuses a model more than 0.01 AUC below the naive-Bayes baseline on its own holdout, even the first one', () => {
    expect(
      publishDecision(model(0.7, 10, { baselineAuc: 0.72, currentAuc: null }), null, 1000),
    ).toStrictEqual({
      publish: false,
      reason: "new holdout AUC 0.700 is below the naive-Bayes baseline's 0.720 on the same holdout",
    });
    expect(shouldPublish(model(0.711, 10, { baselineAuc: 0.72, currentAuc: null }), null, 1000)).toBe(true);
  });

  it("compares with the published model's AUC on the new model's holdout, not its recorded one", () => {
    // recorded 0.9 on its own holdout, but 0.75 on the new holdout: 0.72 ≥ 0.95 × 0.75 = 0.7125
    const d = publishDecision(model(0.72, 10, { baselineAuc: 0.6, currentAuc: 0.75 }), model(0.9, 0), 1000);
    expect(d).toStrictEqual({
      publish: true,
      reason: 'holdout AUC 0.720 against 0.750 for v0 on the same holdout',
    });
    // 0.71 < 0.7125
    expect(
      publishDecision(model(0.71, 10, { baselineAuc: 0.6, currentAuc: 0.75 }), model(0.9, 0), 1000),
    ).toStrictEqual({
      publish: false,
      reason: 'new holdout AUC 0.710 is below 95 % of 0.750 for v0 on the same holdout',
    });
  });
});
