import { EventEmitter } from 'node:events';
import type sql from 'mssql';
import { StoreError } from '../../../src/errors';
import type { FeatureChunk } from '../../../src/store/leadStore';
import { MssqlContext } from '../../../src/store/mssql/mssqlContext';
import { readKeyset } from '../../../src/store/mssql/mssqlKeysetReader';
import { mssqlTestConfig } from '../../helpers/mssqlConfig';

/**
 * The keyset reader against the stream events the recording double never sends: the column metadata as mssql's
 * keyed object (not an array), LeadId not the first column, an `error` event, a result with no `recordset` event,
 * and a chunk in which every row is skipped. Each request here is scripted: it emits exactly the events listed.
 */
type Emit = (r: ScriptedRequest) => void;

class ScriptedRequest extends EventEmitter {
  stream = false;
  arrayRowMode = false;
  readonly parameters: Record<string, unknown> = {};
  constructor(private readonly emit_: Emit) {
    super();
  }
  input(name: string, typeOrValue: unknown, value?: unknown): this {
    this.parameters[name] = value === undefined ? typeOrValue : value;
    return this;
  }
  cancel(): boolean {
    return true;
  }
  query(): Promise<void> {
    setImmediate(() => this.emit_(this));
    return Promise.resolve();
  }
}

/** A pool whose n-th request emits the n-th script (the last one repeats). */
class ScriptedPool {
  readonly requests: ScriptedRequest[] = [];
  constructor(private readonly scripts: Emit[]) {}
  request(): ScriptedRequest {
    const r = new ScriptedRequest(this.scripts[Math.min(this.requests.length, this.scripts.length - 1)]!);
    this.requests.push(r);
    return r;
  }
}

async function readWith(pool: ScriptedPool, chunkSize: number): Promise<FeatureChunk[]> {
  // one attempt, no back-off: a rejection reaches the test as the adapter types it
  const ctx = new MssqlContext(
    pool as unknown as sql.ConnectionPool,
    mssqlTestConfig(),
    { attempts: 1, baseMs: 0, capMs: 0 },
    60_000,
  );
  const chunks: FeatureChunk[] = [];
  for await (const c of readKeyset(ctx, 'read the scoring input', 'SELECT 1;', { chunkSize })) chunks.push(c);
  return chunks;
}

// LeadId third: a reader that took column 0 as the id would read LeadStatus's text there
const NAMES = ['LeadStatus', 'LeadSource', 'LeadId'];
/** A reader that misses an event never settles: fail in 10 s rather than at the 60 s default. */
const HANG = 10_000;
const row = (id: unknown): unknown[] => ['New', 'Website', id];

describe('readKeyset on scripted stream events', () => {
  it("reads mssql's keyed column metadata in index order and finds LeadId wherever it is", async () => {
    // the keyed object lists the columns out of index order; their `index` says where each value is in a row
    const keyed = {
      LeadId: { name: 'LeadId', index: 2 },
      LeadStatus: { name: 'LeadStatus', index: 0 },
      LeadSource: { name: 'LeadSource', index: 1 },
    };
    const full: Emit = (r) => {
      r.emit('recordset', keyed);
      r.emit('row', row(11));
      r.emit('row', row(12));
      r.emit('done', {});
    };
    const last: Emit = (r) => {
      r.emit('recordset', keyed);
      r.emit('row', row(13));
      r.emit('done', {});
    };
    const pool = new ScriptedPool([full, last]);
    const chunks = await readWith(pool, 2);
    expect(chunks.map((c) => Array.from(c.features.leadId))).toStrictEqual([[11, 12], [13]]);
    // a full first chunk (2 of 2) asks for the next one after its last id, 12; the short second one ends the scan
    expect(pool.requests.map((r) => r.parameters.after)).toStrictEqual([0, 12]);
  });

  it('finds LeadId by name in an array of column metadata, not by position', async () => {
    const pool = new ScriptedPool([
      (r) => {
        r.emit(
          'recordset',
          NAMES.map((name) => ({ name })),
        );
        r.emit('row', row(21));
        r.emit('row', row(22));
        r.emit('done', {});
      },
      (r) => {
        r.emit(
          'recordset',
          NAMES.map((name) => ({ name })),
        );
        r.emit('done', {});
      },
    ]);
    const chunks = await readWith(pool, 2);
    expect(chunks.map((c) => Array.from(c.features.leadId))).toStrictEqual([[21, 22]]);
    expect(pool.requests.map((r) => r.parameters.after)).toStrictEqual([0, 22]);
  });

  it(
    'rejects with a typed store error when the request emits an error',
    async () => {
      const pool = new ScriptedPool([
        (r) => {
          r.emit(
            'recordset',
            NAMES.map((name) => ({ name })),
          );
          r.emit('row', row(31));
          r.emit('error', Object.assign(new Error('Invalid object name li_scoring_input'), { number: 208 }));
          r.emit('done', {});
        },
      ]);
      const read = readWith(pool, 2);
      await expect(read).rejects.toBeInstanceOf(StoreError);
      await expect(read).rejects.toMatchObject({
        code: 'STORE_QUERY_FAILED',
        message: expect.stringContaining('Invalid object name li_scoring_input'),
      });
    },
    HANG,
  );

  it(
    'ends the scan with nothing yielded when a result has no recordset event at all',
    async () => {
      const pool = new ScriptedPool([(r) => r.emit('done', {})]);
      await expect(readWith(pool, 2)).resolves.toStrictEqual([]);
      expect(pool.requests).toHaveLength(1);
    },
    HANG,
  );

  it('still yields a chunk whose every row was skipped, for its issue counts, and stops there', async () => {
    // ids as text (a view that casts LeadId to a string): the builder skips each row; no id advances @after, so
    // reading on would ask for the same rows again — the scan ends, and the chunk carries the two skipped rows
    const pool = new ScriptedPool([
      (r) => {
        r.emit(
          'recordset',
          NAMES.map((name) => ({ name })),
        );
        r.emit('row', row('41'));
        r.emit('row', row('42'));
        r.emit('done', {});
      },
    ]);
    const chunks = await readWith(pool, 2);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.features.leadId).toHaveLength(0);
    expect(chunks[0]!.issues.skippedRows).toBe(2);
    expect(pool.requests).toHaveLength(1);
  });
});
