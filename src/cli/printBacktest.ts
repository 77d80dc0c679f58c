import type { BacktestReport } from '../job';

type Out = (line: string) => void;
const f3 = (x: number | null | undefined): string =>
  x === null || x === undefined || x !== x ? '—' : x.toFixed(3);

/** The backtest report as tables: metrics, calibration, strongest coefficients. */
export function printBacktest(r: BacktestReport, out: Out): void {
  out(`Closed leads: ${r.leads} (${r.won} won, ${r.lost} lost)`);
  if (!r.model) {
    out(`No model: ${r.insufficient}. Scoring keeps the heuristic.`);
    return;
  }
  const m = r.model.metrics;
  out('');
  out(
    `Holdout: the most recent ${m.holdout.n} closed leads by ${r.timeOrder} (fit on ${r.model.counts.fit}, calibration split ${r.model.counts.calibration})`,
  );
  out(
    `  model       AUC ${f3(m.holdout.auc)}  Brier ${f3(m.holdout.brier)}  log loss ${f3(m.holdout.logLoss)}  ECE ${f3(m.holdout.ece)}  (calibration: ${m.calibration ?? (m.calibrated ? 'platt' : 'none')})`,
  );
  if (m.selection)
    out(
      `              ${m.selection.bins ? `${m.selection.bins} quantile bins per numeric feature` : 'linear terms only'}, L2 ${m.selection.l2} (${m.selection.folds}-fold cross-validation inside the fit split)`,
    );
  if (r.linearOnly)
    out(
      `  linear-only AUC ${f3(r.linearOnly.auc)}  ECE ${f3(r.linearOnly.ece)}  (no bins, L2 1: the model before the expansion)`,
    );
  if (r.baseline)
    out(
      `  baseline    AUC ${f3(r.baseline.auc)}  Brier ${f3(r.baseline.brier)}  (naive Bayes over field frequencies)`,
    );
  if (r.oracleAuc !== null)
    out(
      `  oracle      AUC ${f3(r.oracleAuc)}  (the generator's true probabilities; gap ${f3(r.oracleAuc - m.holdout.auc)})`,
    );
  if (m.kFold) out(`  ${m.kFold.folds}-fold      AUC ${f3(m.kFold.aucMean)} ± ${f3(m.kFold.aucStd)}`);
  out('');
  out('Calibration (holdout)');
  out('  predicted      leads  mean predicted  observed');
  for (const b of m.holdout.calibration) {
    out(
      `  ${b.from.toFixed(1)}–${b.to.toFixed(1)}  ${String(b.count).padStart(9)}  ${f3(b.meanPredicted).padStart(14)}  ${f3(b.observedRate).padStart(8)}`,
    );
  }
  out('');
  out('Strongest coefficients (standardised columns; a bin is 0/1, on top of its linear term)');
  for (const c of r.strongest)
    out(`  ${((c.coefficient >= 0 ? '+' : '') + c.coefficient.toFixed(3)).padStart(7)}  ${c.label}`);
  for (const note of r.model.spec.notes) out(`  note: ${note}`);
}
