import { addDataIssues, type FeatureChunk } from '../../store/leadStore';
import type { HeldResources, JobRun } from '../jobRun';
import type { ModelState } from '../prepareModel';
import { checkpoint } from '../runHeartbeat';
import { renderChunkJson, renderDryRunResults } from './renderChunk';
import { scoreChunk } from './scoreChunk';
import { writeChunkScores, writeChunkSnapshots } from './writeChunk';

/**
 * Streams the scoring input and takes every chunk through read → score → render → write → snapshot, timing each
 * stage; stops at a chunk boundary when the run is interrupted or its lock lost. Memory is bounded by the chunk size.
 */
export async function scoreAllChunks(run: JobRun, held: HeldResources, model: ModelState): Promise<void> {
  const { store, leadIds, chunkSize, signal, log } = run.options;
  const input = store.readScoringInput({ asOf: run.asOf, leadIds, chunkSize });
  const iterator = (held.iterator = input[Symbol.asyncIterator]());
  let first = true;
  for (;;) {
    await checkpoint(signal, held.heartbeat);
    const t = run.clock();
    const next = await iterator.next();
    if (next.done) break;
    const read = readChunk(run, next.value, t);
    if (first) {
      // a real stage, when it happens: the per-stage lines with their times follow at the end (finishRun)
      log.info(
        `Loaded the first ${next.value.features.leadId.length} active leads; scoring chunk by chunk (read → score → render → write → snapshot)`,
      );
      first = false;
    }
    await processChunk(run, next.value, model, read);
    run.options.onProgress?.(run.summary.leadsScored);
  }
}

/** Counts a chunk read (its time, leads and repaired data issues); returns when the read ended. */
function readChunk(run: JobRun, chunk: FeatureChunk, since: number): number {
  const n = chunk.features.leadId.length;
  const t = run.stage('read', since, n);
  run.summary.leadsRead += n;
  if (run.readIds) for (const id of chunk.features.leadId) run.readIds.add(id);
  addDataIssues(run.summary.dataIssues, chunk.issues);
  return t;
}

async function processChunk(
  run: JobRun,
  chunk: FeatureChunk,
  model: ModelState,
  since: number,
): Promise<void> {
  const n = chunk.features.leadId.length;
  let t = since;
  const scored = scoreChunk(run, chunk, model);
  t = run.stage('score', t, n);
  if (run.results) {
    renderDryRunResults(run, chunk, scored, model);
    t = run.stage('render', t, n);
  }
  if (run.dryRun) return;
  const json = renderChunkJson(run, chunk, scored);
  t = run.stage('render', t, n);
  await writeChunkScores(run, scored.scores, json);
  t = run.stage('write', t, n);
  await writeChunkSnapshots(run, chunk.features, scored.scores);
  run.stage('snapshot', t, n);
}
