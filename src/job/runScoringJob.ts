import { RunLockedError } from '../errors';
import type { RunScoringJobOptions } from './jobOptions';
import { newJobRun, type HeldResources } from './jobRun';
import { interruption } from './runHeartbeat';
import type { RunSummary } from './runSummary';
import {
  purgeOldSnapshots,
  recordFailure,
  recordOutcome,
  releaseResources,
  reportCompletion,
} from './stages/finishRun';
import { loadConversionModel } from './stages/loadModel';
import { scoreAllChunks } from './stages/scoreAllChunks';
import { logStart, takeLockAndStartRun } from './stages/startRun';

export type { JobLogger, JobTelemetry, RunScoringJobOptions } from './jobOptions';
export { scoringInstant } from './jobRun';

/**
 * One scoring pass: take the run lock, record the run, stream the scoring input in chunks, score each chunk with
 * the pure core, write scores (unchanged rows only get ScoresLastUpdated) and the day's snapshots chunk by chunk,
 * then record the outcome. Memory is bounded by the chunk size. A failure marks the run failed and rethrows; chunks
 * already committed stay consistent (each chunk is one transaction, and a rerun converges). Each stage is a function
 * of src/job/stages/, in the order of the guide's log lines.
 */
export async function runScoringJob(options: RunScoringJobOptions): Promise<RunSummary> {
  const run = newJobRun(options);
  const held: HeldResources = { lock: null, heartbeat: null, iterator: undefined };
  try {
    if (options.signal?.aborted) throw interruption(options.signal.reason); // shutting down: start nothing
    if (!run.dryRun) await takeLockAndStartRun(run, held);
    logStart(run); // Starting vectorized score update…
    const model = await loadConversionModel(run); // Conversion probability: …
    await scoreAllChunks(run, held, model); // Calculating … / Generating AI recommendations…
    reportCompletion(run); // Loaded … / ✅ Score update completed! … / Performance: …
    await purgeOldSnapshots(run); // Purged … velocity snapshots
    await recordOutcome(run);
    return run.summary;
  } catch (e) {
    if (e instanceof RunLockedError) throw e; // not a run of ours: nothing to record (the holder's run is)
    await recordFailure(run, e); // ❌ Score update failed after …
    throw e;
  } finally {
    // a failed run stops reading: close the store's read stream before unlocking
    await releaseResources(held);
  }
}
