import type { LeadFeatureBatch, LeadScoreBatch } from '../../scoring';
import type { SnapshotChunk } from '../../store/leadStore';
import type { JobRun } from '../jobRun';

/** Writes one chunk's scores (unchanged rows only get ScoresLastUpdated, or nothing with on-change) and counts rows. */
export async function writeChunkScores(run: JobRun, scores: LeadScoreBatch, json: string[]): Promise<void> {
  const { store, now, scoresLastUpdated } = run.options;
  const written = await store.writeScores({
    scores,
    recommendationJson: json,
    scoredAt: now,
    touchUnchanged: scoresLastUpdated !== 'on-change',
  });
  run.summary.rowsChanged += written.changed;
  run.summary.rowsUnchanged += written.unchanged;
  run.summary.rowsMissing += written.missing;
}

/** Upserts the day's velocity snapshot of every lead of the chunk. */
export async function writeChunkSnapshots(
  run: JobRun,
  features: LeadFeatureBatch,
  scores: LeadScoreBatch,
): Promise<void> {
  const { store, now } = run.options;
  run.summary.snapshotsWritten += await store.writeSnapshots(snapshotChunk(features, scores, run.day, now));
}

function snapshotChunk(
  f: LeadFeatureBatch,
  s: LeadScoreBatch,
  day: string,
  writtenAt: number,
): SnapshotChunk {
  const n = f.leadId.length;
  const activity7d = new Int32Array(n);
  const activity30d = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    activity7d[i] = f.completedFollowUps7d[i]! + f.visits7d[i]!;
    activity30d[i] = f.completedFollowUps30d[i]! + f.visits30d[i]!;
  }
  return {
    day,
    leadId: f.leadId,
    health: s.health,
    velocity: s.velocity,
    activity7d,
    activity30d,
    completedFollowUps7d: f.completedFollowUps7d,
    visits7d: f.visits7d,
    writtenAt,
  };
}
