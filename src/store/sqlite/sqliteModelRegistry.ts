import type Database from 'better-sqlite3';
import type { ConversionModel } from '../../scoring';
import { FeatureChunkBuilder } from '../featureChunkBuilder';
import type { FeatureChunk, ModelRecord, ModelRegistry } from '../leadStore';
import { attempt, toStoreError } from './sqliteErrors';

/** The training view and lead_scoring_models on the embedded store. */
export class SqliteModelRegistry implements ModelRegistry {
  constructor(private readonly db: Database.Database) {}

  // eslint-disable-next-line @typescript-eslint/require-await -- synchronous driver behind an async port
  async *readTrainingInput(options: { chunkSize: number }): AsyncIterable<FeatureChunk> {
    const stmt = this.db.prepare('SELECT * FROM v_lead_training_input ORDER BY LeadId').raw(true);
    const builder = new FeatureChunkBuilder(
      stmt.columns().map((c) => c.name),
      options.chunkSize,
    );
    try {
      // materialised per chunk: the writer connection is not used while training data is read
      for (const row of stmt.iterate() as IterableIterator<unknown[]>) {
        builder.add(row);
        if (builder.full) yield builder.finish();
      }
      if (builder.length > 0) yield builder.finish();
    } catch (e) {
      throw toStoreError('read the training view', e);
    }
  }

  saveModel(r: ModelRecord): Promise<number> {
    return attempt('save a model', () => {
      const row = this.db
        .prepare(
          `INSERT INTO lead_scoring_models (Version, TrainedAt, WindowFrom, WindowTo, Published, Won, Lost, HoldoutAuc, FeatureList, ModelJson, Note)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ModelId`,
        )
        .get(
          r.model?.version ?? new Date(r.trainedAt).toISOString(),
          r.trainedAt,
          r.model?.window.from ?? null,
          r.model?.window.to ?? null,
          r.published ? 1 : 0,
          r.won,
          r.lost,
          r.model && Number.isFinite(r.model.metrics.holdout.auc) ? r.model.metrics.holdout.auc : null,
          r.model ? JSON.stringify(r.model.spec.columns.map((c) => c.name)) : null,
          r.model ? JSON.stringify(r.model) : null,
          r.note,
        ) as { ModelId: number };
      return row.ModelId;
    });
  }

  latestPublishedModel(): Promise<ConversionModel | null> {
    return attempt('read the published model', () => {
      const row = this.db
        .prepare(
          'SELECT ModelJson FROM lead_scoring_models WHERE Published = 1 ORDER BY TrainedAt DESC, ModelId DESC LIMIT 1',
        )
        .get() as { ModelJson: string } | undefined;
      return row ? (JSON.parse(row.ModelJson) as ConversionModel) : null;
    });
  }

  lastModelAttempt(): Promise<{ trainedAt: number; note: string | null } | null> {
    return attempt('read the last training attempt', () => {
      const row = this.db
        .prepare(
          'SELECT TrainedAt, Note FROM lead_scoring_models ORDER BY TrainedAt DESC, ModelId DESC LIMIT 1',
        )
        .get() as { TrainedAt: number; Note: string | null } | undefined;
      return row ? { trainedAt: row.TrainedAt, note: row.Note } : null;
    });
  }
}
