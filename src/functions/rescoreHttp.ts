import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { appDeps, type AppDeps } from './shared/appContext';
import { badRequest, expectedErrorResponse, zodBadRequest } from './shared/httpErrors';
import { runFromTrigger, type TriggerOptions } from './shared/runFromTrigger';

export const MAX_RERUN_LEADS = 10_000;

export const rescoreBodySchema = z
  .object({
    leadIds: z
      .array(z.number().int().positive().max(2_147_483_647))
      .min(1)
      .max(MAX_RERUN_LEADS)
      .refine((ids) => new Set(ids).size === ids.length, 'lead ids must be unique')
      .optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

/**
 * POST /api/scoring/runs — rerun the pass now: all leads or `leadIds`, optionally `dryRun` (computes, writes
 * nothing; with lead ids the response carries their scores and recommendations). 200 with the run summary; 400 with
 * every issue of a bad body (the request's fault, and only then); 409 while another run holds the lock; 503 +
 * Retry-After when the database is unreachable or the worker is shutting down (RUN_INTERRUPTED). Anything else —
 * bad data met inside the run (INPUT_INVALID from the core's validation) included — is a failed run: recorded,
 * counted in telemetry, and rethrown, so the host answers 500.
 */
export function createRescoreHttp(
  deps: () => AppDeps | Promise<AppDeps> = appDeps,
  options: TriggerOptions = {},
) {
  return async function rescoreHttp(
    request: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const text = await request.text();
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch (e) {
        return badRequest(`Request body is not valid JSON: ${(e as Error).message}`);
      }
    }
    const parsed = rescoreBodySchema.safeParse(body);
    if (!parsed.success) return zodBadRequest('rerun request', parsed.error);
    try {
      const summary = await runFromTrigger(
        deps,
        {
          trigger: 'http',
          leadIds: parsed.data.leadIds,
          dryRun: parsed.data.dryRun,
          log: { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) },
        },
        options,
      );
      return { status: 200, jsonBody: summary };
    } catch (e) {
      return expectedErrorResponse(e);
    }
  };
}

export const rescoreHttp = createRescoreHttp();

app.http('rescoreHttp', {
  methods: ['POST'],
  route: 'scoring/runs',
  authLevel: 'function',
  handler: rescoreHttp,
});
