import sql from 'mssql';
import { FeatureChunkBuilder } from '../featureChunkBuilder';
import type { FeatureChunk } from '../leadStore';
import type { MssqlContext } from './mssqlContext';
import { leadIdListTvp } from './tvp';

export interface KeysetOptions {
  readonly chunkSize: number;
  readonly leadIds?: readonly number[];
  readonly asOf?: number;
}

/**
 * Streams a view in keyset chunks (`@after` = the last LeadId read), each chunk its own retried request, straight
 * into typed arrays (array row mode, no row objects kept); subset reruns join a `dbo.LeadIdList` TVP. The next
 * chunk's request is sent before this chunk is handed on, so it streams in on a second pooled connection while the
 * job scores and writes this one (reads and writes overlap; at most one read ahead, so memory stays two chunks).
 */
export async function* readKeyset(
  ctx: MssqlContext,
  what: string,
  statement: string,
  options: KeysetOptions,
): AsyncIterable<FeatureChunk> {
  let stopped = false;
  let request: sql.Request | undefined;
  const read = (after: number): Promise<KeysetChunk> => {
    const p = ctx.attempt(what, () =>
      stopped
        ? Promise.reject(new Error('the keyset read was abandoned')) // not transient: no retry
        : readChunk(ctx.pool, statement, after, options, (r) => (request = r)),
    );
    // a read ahead that the consumer never awaits must not become an unhandled rejection; an awaited one still
    // throws to the consumer
    p.catch(() => undefined);
    return p;
  };
  let after = 0;
  let pending: Promise<KeysetChunk> | undefined = read(after);
  try {
    for (;;) {
      const { chunk, rows, lastId } = await pending;
      pending = undefined;
      if (rows >= options.chunkSize && lastId > after) {
        after = lastId;
        pending = read(after);
      }
      if (chunk.features.leadId.length > 0 || chunk.issues.skippedRows > 0) yield chunk;
      if (pending === undefined) return;
    }
  } finally {
    if (pending !== undefined) {
      // the consumer stopped (run interrupted, lock lost) with a read ahead in flight: cancel it and wait for its
      // connection to come back before the run lets go of its lock, and retry nothing
      stopped = true;
      request?.cancel();
      await pending.catch(() => undefined);
    }
  }
}

interface KeysetChunk {
  readonly chunk: FeatureChunk;
  readonly rows: number;
  readonly lastId: number;
}

/** One keyset chunk, streamed row by row (array row mode) into a FeatureChunkBuilder. */
function readChunk(
  pool: sql.ConnectionPool,
  statement: string,
  after: number,
  options: KeysetOptions,
  onRequest: (r: sql.Request) => void,
): Promise<KeysetChunk> {
  return new Promise((resolve, reject) => {
    const request = pool.request();
    onRequest(request);
    request.stream = true;
    request.arrayRowMode = true;
    request.input('chunk', sql.Int, options.chunkSize).input('after', sql.Int, after);
    if (options.asOf !== undefined) request.input('asOf', sql.DateTime2(3), new Date(options.asOf));
    if (options.leadIds) request.input('ids', leadIdListTvp(options.leadIds));
    let builder: FeatureChunkBuilder | undefined;
    let idColumn = -1;
    let rows = 0;
    let lastId = after;
    request.on('recordset', (columns: unknown) => {
      const names = Array.isArray(columns)
        ? (columns as { name: string }[]).map((c) => c.name)
        : Object.values(columns as Record<string, { name: string; index: number }>)
            .sort((a, b) => a.index - b.index)
            .map((c) => c.name);
      idColumn = names.findIndex((n) => n.toLowerCase() === 'leadid');
      builder = new FeatureChunkBuilder(names, options.chunkSize);
    });
    request.on('row', (row: unknown[]) => {
      rows++;
      const id = row[idColumn];
      if (typeof id === 'number' && id > lastId) lastId = id;
      builder!.add(row);
    });
    request.on('error', (e: unknown) => reject(e as Error));
    request.on('done', () => {
      const chunk = builder ? builder.finish() : new FeatureChunkBuilder(['LeadId'], 0).finish();
      resolve({ chunk, rows, lastId });
    });
    void request.query(statement);
  });
}
