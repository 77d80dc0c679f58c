import type { ConversionModel } from '../../scoring';
import type { FeatureChunk } from './scoringInputReader';

/** One row of lead_scoring_models. */
export interface ModelRecord {
  readonly trainedAt: number;
  readonly model: ConversionModel | null;
  readonly won: number;
  readonly lost: number;
  readonly published: boolean;
  readonly note: string | null;
}

/** The conversion model's training input and its registry (lead_scoring_models). */
export interface ModelRegistry {
  /** Streams the training view (closed leads, features as of their close date) in chunks; extras carry Outcome (won/lost) and ClosedDate. */
  readTrainingInput(options: { readonly chunkSize: number }): AsyncIterable<FeatureChunk>;
  /** Records a training attempt (a model, or the reason there is none) in lead_scoring_models; returns its id. */
  saveModel(record: ModelRecord): Promise<number>;
  /** The most recently published model, or null. */
  latestPublishedModel(): Promise<ConversionModel | null>;
  /** The last training attempt (published or not), or null. */
  lastModelAttempt(): Promise<{ readonly trainedAt: number; readonly note: string | null } | null>;
}
