import type { RunScoringJobOptions } from '../job/runScoringJob';
import type { AppConfig } from './loadConfig';

/** The run options that come from configuration, assembled in one place for every trigger (timer, HTTP, CLI). */
export type JobSettings = Pick<
  RunScoringJobOptions,
  'scoring' | 'chunkSize' | 'snapshotRetentionDays' | 'model' | 'scoresLastUpdated'
>;

export function jobSettings(config: AppConfig): JobSettings {
  return {
    scoring: config.scoring,
    chunkSize: config.chunkSize,
    snapshotRetentionDays: config.snapshotRetentionDays,
    model: config.model,
    scoresLastUpdated: config.scoresLastUpdated,
  };
}
