import type { HttpResponseInit } from '@azure/functions';
import type { ZodError } from 'zod';
import { isLeadIntelError, RunLockedError } from '../../errors';

/** Seconds a client should wait before retrying when the database is unreachable. */
export const RETRY_AFTER_SECONDS = 30;

export function badRequest(
  message: string,
  issues: readonly { path: string; message: string }[] = [],
): HttpResponseInit {
  return { status: 400, jsonBody: { code: 'INPUT_INVALID', message, issues } };
}

export function zodBadRequest(what: string, error: ZodError): HttpResponseInit {
  return badRequest(
    `Invalid ${what}`,
    error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
  );
}

/**
 * Maps the errors a handler expects to their status: 409 a held run lock (with the holder's start time and, on the
 * embedded store, when the lock expires), 503 + Retry-After an unreachable database or a run interrupted by the
 * worker's shutdown. Anything else is rethrown, so the invocation fails (500) and shows in telemetry — never a
 * catch-all 400. An INPUT_INVALID thrown while serving a request is a data fault of the store, not the client's: the
 * request's own validation answers 400 itself (`badRequest`, `zodBadRequest`) before any work starts.
 */
export function expectedErrorResponse(e: unknown): HttpResponseInit {
  if (e instanceof RunLockedError) {
    return {
      status: 409,
      jsonBody: {
        code: e.code,
        message: e.message,
        holderStartedAt: e.holderStartedAt?.toISOString() ?? null,
        holderRunId: e.holderRunId,
        lockExpiresAt: e.lockExpiresAt?.toISOString() ?? null,
      },
    };
  }
  if (isLeadIntelError(e) && (e.code === 'STORE_UNAVAILABLE' || e.code === 'RUN_INTERRUPTED')) {
    return {
      status: 503,
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      jsonBody: { code: e.code, message: e.message },
    };
  }
  throw e;
}
