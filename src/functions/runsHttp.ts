import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { RunLog } from '../store/leadStore';
import { appDeps } from './shared/appContext';
import { expectedErrorResponse, zodBadRequest } from './shared/httpErrors';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();
const runId = z.coerce.number().int().positive();

/**
 * GET /api/scoring/runs?limit=N — the latest runs from lead_scoring_runs (newest first);
 * GET /api/scoring/runs/{id} — one run, 404 when there is none.
 */
/** What the runs API needs of the app: only the run log. */
type RunsDeps = { readonly store: RunLog };

export function createRunsHttp(deps: () => RunsDeps | Promise<RunsDeps> = appDeps) {
  return async function runsHttp(request: HttpRequest): Promise<HttpResponseInit> {
    try {
      const { store } = await deps();
      const id = request.params.id;
      if (id !== undefined && id !== '') {
        const parsed = runId.safeParse(id);
        if (!parsed.success) return zodBadRequest('run id', parsed.error);
        const run = await store.getRun(parsed.data);
        return run
          ? { status: 200, jsonBody: run }
          : { status: 404, jsonBody: { code: 'NOT_FOUND', message: `No run ${parsed.data}` } };
      }
      const query = listQuery.safeParse(Object.fromEntries(request.query.entries()));
      if (!query.success) return zodBadRequest('query', query.error);
      return { status: 200, jsonBody: { runs: await store.listRuns(query.data.limit) } };
    } catch (e) {
      return expectedErrorResponse(e);
    }
  };
}

export const runsHttp = createRunsHttp();

app.http('runsHttp', {
  methods: ['GET'],
  route: 'scoring/runs/{id?}',
  authLevel: 'function',
  handler: runsHttp,
});
