import type { JobRun } from '../jobRun';
import { prepareModel, type ModelState } from '../prepareModel';

/**
 * The conversion model this run scores with (or the heuristic, and why). Training runs only on timer and full runs:
 * a subset rerun (an HTTP request) scores with the published model.
 */
export async function loadConversionModel(run: JobRun): Promise<ModelState> {
  const { store, now, model, leadIds, log } = run.options;
  const { summary } = run;
  const state: ModelState = model
    ? await prepareModel(store, now, model, log, { dryRun: run.dryRun, train: !leadIds })
    : { model: null, note: summary.conversionNote };
  summary.conversionSource = state.model ? 'model' : 'heuristic';
  summary.conversionNote = state.note;
  if (state.model) summary.modelHoldoutAuc = state.model.metrics.holdout.auc;
  log.info(`Conversion probability: ${state.note}`);
  return state;
}
