import type sql from 'mssql';
import type { MssqlConfig } from '../../config/loadConfig';
import { RunLockedError, StoreError } from '../../errors';
import { isTransient, withRetry, type RetryPolicy } from './retry';

const LOGIN_FAILED = 18456;

/** Driver errors → typed store errors, keeping the SQL error number and the driver code. */
export function toStoreError(what: string, e: unknown): Error {
  if (e instanceof RunLockedError || e instanceof StoreError) return e;
  const code = (e as { code?: unknown }).code;
  const unavailable =
    isTransient(e) ||
    code === 'ELOGIN' ||
    code === 'EINSTLOOKUP' ||
    (e as { number?: unknown }).number === LOGIN_FAILED;
  return new StoreError(
    unavailable ? 'STORE_UNAVAILABLE' : 'STORE_QUERY_FAILED',
    `Azure SQL could not ${what}: ${(e as Error).message}`,
    e,
  );
}

/** What every role of the Azure SQL store shares: the process's pool, the settings, the lease and the retry policy. */
export class MssqlContext {
  constructor(
    readonly pool: sql.ConnectionPool,
    readonly cfg: MssqlConfig,
    private readonly retry: RetryPolicy,
    /** The lease the job heartbeats within; a `running` row older than it at a run's start is abandoned. */
    readonly leaseMs: number,
  ) {}

  /** Runs one statement's work with the retry policy, its errors typed by `toStoreError`. */
  async attempt<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(fn, this.retry);
    } catch (e) {
      throw toStoreError(what, e);
    }
  }
}

/** UTC midnight of a YYYY-MM-DD day, as the Date a DATE parameter takes. */
export function dayDate(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}
