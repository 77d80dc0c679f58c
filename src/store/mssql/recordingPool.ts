import { EventEmitter } from 'node:events';
import type sql from 'mssql';
import type { MssqlConfig } from '../../config/loadConfig';
import { VIEW_COLUMNS } from '../featureChunkBuilder';
import type { LeadStore, RunLock } from '../leadStore';
import { MssqlLeadStore } from './mssqlLeadStore';
import { SCORE_ROW_COLUMNS } from './tvp';

/**
 * A recording test double of the mssql pool, for tests and the wire benchmark (never used by the app): it records
 * every request the Azure SQL adapter sends — statement, parameters, TVP rows and an estimate of the bytes — and
 * answers like a server holding `leads` would: keyset chunks of the scoring input, and the score batch's counts
 * (a row "changes" when a value that the MERGE's predicate compares differs from what this double last stored).
 * It does not parse T-SQL; it recognises the adapter's statements by the objects they name.
 */
export interface RecordedRequest {
  readonly statement: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Rows of each table-valued parameter. */
  readonly tvpRows: number;
  /** Bytes of parameter values and result rows, as stored (strings UTF-16, numbers 1–8 bytes): a lower bound. */
  readonly bytesSent: number;
  readonly bytesReceived: number;
}

const valueBytes = (v: unknown): number =>
  typeof v === 'string' ? 2 * v.length : v instanceof Date ? 8 : v === null || v === undefined ? 0 : 8;

function tableBytes(t: sql.Table): number {
  let n = 0;
  for (const row of t.rows as unknown[][]) for (const v of row) n += valueBytes(v);
  return n;
}

/**
 * The TVP columns (indexes into `SCORE_ROW_COLUMNS`) that a score MERGE's change predicate compares, read from the
 * statement's `t.X <> s.X` terms (with or without a COLLATE): a column the predicate leaves out is one whose change
 * the server would not see.
 */
function comparedColumns(statement: string): number[] {
  const names = new Set(
    [...statement.matchAll(/\bt\.(\w+)(?: COLLATE \w+)? <> s\.(\w+)\b/g)]
      .filter((m) => m[1] === m[2])
      .map((m) => m[1]),
  );
  return SCORE_ROW_COLUMNS.flatMap((c, i) => (names.has(c.name) ? [i] : []));
}

const isTable = (v: unknown): v is sql.Table =>
  typeof v === 'object' && v !== null && Array.isArray((v as { rows?: unknown }).rows);

class RecordingRequest extends EventEmitter {
  stream = false;
  arrayRowMode = false;
  private readonly parameters: Record<string, unknown> = {};

  constructor(private readonly pool: RecordingPool) {
    super();
  }

  /** A cancel the adapter sent (mssql's Request.cancel): counted; the double's answer is already on its way. */
  cancel(): boolean {
    this.pool.cancels++;
    return true;
  }

  input(name: string, typeOrValue: unknown, value?: unknown): this {
    this.parameters[name] = value === undefined ? typeOrValue : value;
    return this;
  }

  query(statement: string): Promise<{ recordset: unknown[]; recordsets: unknown[][] }> {
    const p = this.parameters;
    let tvpRows = 0;
    let bytesSent = 2 * statement.length;
    for (const v of Object.values(p)) {
      if (isTable(v)) {
        tvpRows += v.rows.length;
        bytesSent += tableBytes(v);
      } else bytesSent += valueBytes(v);
    }
    const { rows, recordset, recordsets } = this.pool.answer(statement, p);
    let bytesReceived = 0;
    for (const r of rows) for (const v of r) bytesReceived += valueBytes(v);
    this.pool.requests.push({ statement, parameters: { ...p }, tvpRows, bytesSent, bytesReceived });
    if (this.stream) {
      setImmediate(() => {
        this.emit(
          'recordset',
          this.pool.columns.map((name) => ({ name })),
        );
        for (const r of rows)
          this.emit(
            'row',
            this.arrayRowMode ? r : Object.fromEntries(r.map((v, i) => [this.pool.columns[i], v])),
          );
        this.emit('done', {});
      });
      return Promise.resolve({ recordset: [], recordsets: [] });
    }
    return Promise.resolve({ recordset, recordsets: recordsets ?? [recordset] });
  }
}

export class RecordingPool {
  readonly requests: RecordedRequest[] = [];
  /** Requests the adapter cancelled. */
  cancels = 0;
  /** The scoring input's columns, in the order the view has them. */
  readonly columns = Object.keys(VIEW_COLUMNS);
  private readonly stored = new Map<number, unknown[]>();
  /** What the lead detail read answers, by LeadId: the lead row and its snapshot rows (any not listed: no lead). */
  readonly leadDetails = new Map<
    number,
    { lead: Record<string, unknown>; snapshots: Record<string, unknown>[] }
  >();

  /** `leads`: scoring input rows in `columns` order, sorted by LeadId. */
  constructor(private readonly leads: readonly unknown[][]) {}

  request(): RecordingRequest {
    return new RecordingRequest(this);
  }

  /** The double as the adapter's pool type. */
  asPool(): sql.ConnectionPool {
    return this as unknown as sql.ConnectionPool;
  }

  answer(
    statement: string,
    p: Record<string, unknown>,
  ): { rows: unknown[][]; recordset: unknown[]; recordsets?: unknown[][] } {
    if (/FROM dbo\.lead_velocity_snapshots AS s\s+WHERE s\.LeadId = @leadId/.test(statement)) {
      const d = this.leadDetails.get(Number(p.leadId));
      const lead = d ? [d.lead] : [];
      return { rows: [], recordset: lead, recordsets: [lead, d ? d.snapshots : []] };
    }
    // the leads API's page: aggregates of an empty set, then no rows
    if (/^SELECT COUNT\(\*\) AS count,/.test(statement))
      return { rows: [], recordset: [], recordsets: [[{ count: 0 }], []] };
    if (/\bli_scoring_input\(/.test(statement)) {
      const after = Number(p.after);
      // the keyset predicate as the statement writes it: strictly after the last id read, or (a mistake) from it
      const from = /\bv\.LeadId >= @after\b/.test(statement);
      const ids = isTable(p.ids) ? new Set((p.ids.rows as unknown[][]).map((r) => r[0])) : null;
      const rows = this.leads
        .filter((r) => ((r[0] as number) > after || (from && r[0] === after)) && (!ids || ids.has(r[0])))
        .slice(0, Number(p.chunk));
      return { rows, recordset: [] };
    }
    if (/\nMERGE dbo\.li_leads AS t\n/.test(statement) && isTable(p.rows)) {
      let changed = 0;
      let present = 0;
      const known = new Set(this.leads.map((r) => r[0]));
      const compared = comparedColumns(statement);
      for (const row of p.rows.rows as unknown[][]) {
        if (!known.has(row[0])) continue;
        present++;
        const before = this.stored.get(row[0] as number);
        if (!before || compared.some((c) => before[c] !== row[c])) {
          this.stored.set(row[0] as number, row.slice());
          changed++;
        }
      }
      return { rows: [], recordset: [{ changed, present }] };
    }
    return { rows: [], recordset: [] };
  }
}

/**
 * The real Azure SQL adapter over a recording pool, as the job sees it. The run lock and the run row live on their
 * own connection (or are plain one-row statements) and are stubbed: what is measured is the scoring pass's traffic.
 */
export function recordingStore(pool: RecordingPool, cfg: MssqlConfig): LeadStore {
  const store = MssqlLeadStore.overPool(pool.asPool(), cfg);
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'acquireRunLock')
        return (): Promise<RunLock> =>
          Promise.resolve({
            leaseMs: 120_000,
            renew: () => Promise.resolve(),
            release: () => Promise.resolve(),
          });
      if (prop === 'startRun') return () => Promise.resolve(1);
      if (prop === 'finishRun') return () => Promise.resolve();
      if (prop === 'purgeSnapshots') return () => Promise.resolve(0);
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
