import sql from 'mssql';
import type { ConversionModel } from '../../scoring';
import type { FeatureChunk, ModelRecord, ModelRegistry } from '../leadStore';
import type { MssqlContext } from './mssqlContext';
import { readKeyset } from './mssqlKeysetReader';
import * as Q from './statements';

/** The training view and lead_scoring_models on Azure SQL. */
export class MssqlModelRegistry implements ModelRegistry {
  constructor(private readonly ctx: MssqlContext) {}

  readTrainingInput(options: { chunkSize: number }): AsyncIterable<FeatureChunk> {
    return readKeyset(this.ctx, 'read the training view', Q.READ_TRAINING_CHUNK, options);
  }

  saveModel(r: ModelRecord): Promise<number> {
    return this.ctx.attempt('save a model', async () => {
      const auc = r.model?.metrics.holdout.auc;
      const res = await this.ctx.pool
        .request()
        .input('version', sql.NVarChar(40), r.model?.version ?? new Date(r.trainedAt).toISOString())
        .input('trainedAt', sql.DateTime2(3), new Date(r.trainedAt))
        .input('windowFrom', sql.DateTime2(3), r.model ? new Date(r.model.window.from) : null)
        .input('windowTo', sql.DateTime2(3), r.model ? new Date(r.model.window.to) : null)
        .input('published', sql.Bit, r.published)
        .input('won', sql.Int, r.won)
        .input('lost', sql.Int, r.lost)
        .input('holdoutAuc', sql.Float, auc !== undefined && Number.isFinite(auc) ? auc : null)
        .input(
          'featureList',
          sql.NVarChar(sql.MAX),
          r.model ? JSON.stringify(r.model.spec.columns.map((c) => c.name)) : null,
        )
        .input('modelJson', sql.NVarChar(sql.MAX), r.model ? JSON.stringify(r.model) : null)
        .input('note', sql.NVarChar(1000), r.note?.slice(0, 1000) ?? null)
        .query<{ ModelId: number }>(Q.INSERT_MODEL);
      return res.recordset[0]!.ModelId;
    });
  }

  latestPublishedModel(): Promise<ConversionModel | null> {
    return this.ctx.attempt('read the published model', async () => {
      const r = await this.ctx.pool.request().query<{ ModelJson: string }>(Q.LATEST_PUBLISHED_MODEL);
      return r.recordset[0] ? (JSON.parse(r.recordset[0].ModelJson) as ConversionModel) : null;
    });
  }

  lastModelAttempt(): Promise<{ trainedAt: number; note: string | null } | null> {
    return this.ctx.attempt('read the last training attempt', async () => {
      const r = await this.ctx.pool
        .request()
        .query<{ TrainedAt: Date; Note: string | null }>(Q.LAST_MODEL_ATTEMPT);
      const row = r.recordset[0];
      return row ? { trainedAt: row.TrainedAt.getTime(), note: row.Note } : null;
    });
  }
}
