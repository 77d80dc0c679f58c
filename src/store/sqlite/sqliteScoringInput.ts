import type Database from 'better-sqlite3';
import { FeatureChunkBuilder } from '../featureChunkBuilder';
import type { FeatureChunk, ReadScoringInputOptions } from '../leadStore';
import { toStoreError } from './sqliteErrors';

/**
 * Streams the scoring input view on a read connection of its own (`openReader`, whose clock is the run's `asOf`): its
 * read transaction is one snapshot for the whole run. better-sqlite3 reads synchronously; this is an async generator
 * to fit the port (the Azure SQL store streams).
 */
// eslint-disable-next-line @typescript-eslint/require-await
export async function* readSqliteScoringInput(
  openReader: (asOf: number) => Database.Database,
  options: ReadScoringInputOptions,
): AsyncIterable<FeatureChunk> {
  let reader: Database.Database;
  try {
    reader = openReader(options.asOf);
  } catch (e) {
    throw toStoreError('open a read connection', e);
  }
  try {
    const subset = options.leadIds !== undefined;
    const stmt = reader
      .prepare(
        `SELECT * FROM v_lead_scoring_input${subset ? ' WHERE LeadId IN (SELECT value FROM json_each(?))' : ''} ORDER BY LeadId`,
      )
      .raw(true);
    const builder = new FeatureChunkBuilder(
      stmt.columns().map((c) => c.name),
      options.chunkSize,
    );
    const rows = (
      subset ? stmt.iterate(JSON.stringify(options.leadIds)) : stmt.iterate()
    ) as IterableIterator<unknown[]>;
    for (const row of rows) {
      builder.add(row);
      if (builder.full) yield builder.finish();
    }
    if (builder.length > 0) yield builder.finish();
  } catch (e) {
    throw toStoreError('read the scoring input view', e);
  } finally {
    reader.close();
  }
}
