import { isLeadIntelError, StoreError } from '../../errors';

/**
 * A SQLite error as a typed store error that keeps the driver's code (SQLITE_BUSY / SQLITE_CANTOPEN … →
 * STORE_UNAVAILABLE; anything else → STORE_QUERY_FAILED). Errors already typed (RUN_LOCKED, RUN_LOCK_LOST) pass.
 */
export function toStoreError(what: string, e: unknown): Error {
  if (isLeadIntelError(e)) return e;
  const code = (e as { code?: unknown }).code;
  const unavailable =
    typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY)/.test(code);
  return new StoreError(
    unavailable ? 'STORE_UNAVAILABLE' : 'STORE_QUERY_FAILED',
    `Embedded store could not ${what}: ${(e as Error).message}`,
    e,
  );
}

/** Runs a synchronous database call as the port's promise, its errors typed by `toStoreError`. */
export function attempt<T>(what: string, fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(toStoreError(what, e));
  }
}
