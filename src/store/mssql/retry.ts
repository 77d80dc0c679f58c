/** SQL Server / Azure SQL error numbers worth retrying on a fresh connection (throttling, failover, deadlock). */
export const TRANSIENT_SQL_NUMBERS: ReadonlySet<number> = new Set([
  1205, // deadlock victim
  51001, // our own: a write batch found a transaction left open on its pooled connection (and rolled it back)
  4060, // cannot open database (failover in progress)
  10928, // resource limit reached
  10929, // resource governor: too busy
  40197, // service error processing the request (reconfiguration)
  40501, // service busy
  40613, // database not currently available
  49918, // not enough resources to process the request
  49919, // too many create/update operations
  49920, // too many operations in progress
]);

/** Driver error codes of a broken or timed-out connection (mssql / tedious). */
export const TRANSIENT_DRIVER_CODES: ReadonlySet<string> = new Set([
  'ESOCKET',
  'ECONNRESET',
  'ECONNCLOSED',
  'ETIMEOUT',
  'ENOTOPEN',
]);

/** The SQL error number of an mssql error (its own, or of its original/precedingErrors). */
export function sqlNumberOf(e: unknown): number | undefined {
  const err = e as { number?: unknown; originalError?: { number?: unknown; info?: { number?: unknown } } };
  for (const n of [err?.number, err?.originalError?.number, err?.originalError?.info?.number]) {
    if (typeof n === 'number') return n;
  }
  return undefined;
}

export function isTransient(e: unknown): boolean {
  const n = sqlNumberOf(e);
  if (n !== undefined && TRANSIENT_SQL_NUMBERS.has(n)) return true;
  // mssql reports the last server error of a batch and keeps the earlier ones: a transient one among them counts
  const preceding = (e as { precedingErrors?: unknown })?.precedingErrors;
  if (Array.isArray(preceding) && preceding.some((p) => TRANSIENT_SQL_NUMBERS.has(sqlNumberOf(p) ?? -1)))
    return true;
  const code =
    (e as { code?: unknown })?.code ?? (e as { originalError?: { code?: unknown } })?.originalError?.code;
  return typeof code === 'string' && TRANSIENT_DRIVER_CODES.has(code);
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseMs: number;
  readonly capMs: number;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 500, capMs: 20_000 };

/** Full-jitter exponential backoff: a uniform delay in [0, min(cap, base·2^attempt)). */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));
}

/**
 * Runs `fn` (which must take a fresh connection from the pool each call) until it succeeds, a non-transient error
 * occurs, or the attempts are used up. Each call is one unit of work (a batch in its own transaction), so a retry
 * never repeats half a batch.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt + 1 >= policy.attempts || !isTransient(e)) throw e;
      const delay = backoffMs(attempt, policy, policy.random);
      policy.onRetry?.(attempt + 1, delay, e);
      await sleep(delay);
    }
  }
}
