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
 * Maps the errors a handler expects to their status: 400 invalid input, 409 a held run lock (with the holder's start
 * time), 503 + Retry-After an unreachable database. Anything else is rethrown, so the invocation fails and shows in
 * telemetry — never a catch-all 400.
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
      },
    };
  }
  if (isLeadIntelError(e) && e.code === 'INPUT_INVALID') return badRequest(e.message);
  if (isLeadIntelError(e) && e.code === 'STORE_UNAVAILABLE') {
    return {
      status: 503,
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      jsonBody: { code: e.code, message: e.message },
    };
  }
  throw e;
}
