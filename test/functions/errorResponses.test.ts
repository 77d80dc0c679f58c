import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { loadConfig } from '../../src/config/loadConfig';
import { RunInterruptedError, StoreError } from '../../src/errors';
import { createLeadDetailHttp } from '../../src/functions/leadDetailHttp';
import { createLeadsHttp } from '../../src/functions/leadsHttp';
import { createRescoreHttp } from '../../src/functions/rescoreHttp';
import { createRunsHttp } from '../../src/functions/runsHttp';
import type { AppDeps } from '../../src/functions/shared/appContext';
import { badRequest, expectedErrorResponse } from '../../src/functions/shared/httpErrors';
import type { TriggerTelemetry } from '../../src/functions/shared/runFromTrigger';
import type { LeadQueries, LeadStore, RunLog } from '../../src/store/leadStore';

/**
 * The error answers a client or an operator reads: status, `code`, the message and the issue paths. Every 400 of
 * the API is `{code: 'INPUT_INVALID', message: 'Invalid <what>', issues: [{path, message}]}`; the handlers here get
 * store doubles, since none of these answers may depend on the data.
 */
const context = () =>
  new InvocationContext({ invocationId: 'test', functionName: 'test', logHandler: () => undefined });
const get = (path: string, params: Record<string, string> = {}) =>
  new HttpRequest({ method: 'GET', url: `http://localhost/api/${path}`, params });
const post = (body: string) =>
  new HttpRequest({ method: 'POST', url: 'http://localhost/api/scoring/runs', body: { string: body } });
const quietTelemetry: TriggerTelemetry = { forRun: () => ({}), flush: () => Promise.resolve() };

/** A store whose every method fails the test: a 400 must be answered before any work starts. */
const untouchable = new Proxy(
  {},
  {
    get: (_t, name) => () => {
      throw new Error(`the store was called (${String(name)}) for a request that is invalid`);
    },
  },
) as LeadStore;
const noStore = (): AppDeps => ({ config: loadConfig({}), store: untouchable });

describe('badRequest and zodBadRequest', () => {
  it('answer 400 INPUT_INVALID with the message and the issues (none by default)', () => {
    expect(badRequest('Something is off')).toStrictEqual({
      status: 400,
      jsonBody: { code: 'INPUT_INVALID', message: 'Something is off', issues: [] },
    });
  });
});

describe('expectedErrorResponse', () => {
  it('answers 503 + Retry-After with the code and message of a run interrupted by the worker’s shutdown', () => {
    expect(
      expectedErrorResponse(new RunInterruptedError('the worker received SIGTERM', 'SIGTERM')),
    ).toStrictEqual({
      status: 503,
      headers: { 'Retry-After': '30' },
      jsonBody: {
        code: 'RUN_INTERRUPTED',
        message: 'The run was interrupted (the worker received SIGTERM) and recorded as failed',
      },
    });
  });

  it('answers 503 + Retry-After with the code and message of an unreachable database', () => {
    expect(expectedErrorResponse(new StoreError('STORE_UNAVAILABLE', 'Login timeout'))).toStrictEqual({
      status: 503,
      headers: { 'Retry-After': '30' },
      jsonBody: { code: 'STORE_UNAVAILABLE', message: 'Login timeout' },
    });
  });
});

describe('rescoreHttp (POST /api/scoring/runs): a bad body', () => {
  const rescore = createRescoreHttp(noStore, { telemetry: quietTelemetry });

  it('refuses repeated lead ids: the README promises "≤ 10,000 unique ids"', async () => {
    expect(await rescore(post(JSON.stringify({ leadIds: [5, 7, 5] })), context())).toStrictEqual({
      status: 400,
      jsonBody: {
        code: 'INPUT_INVALID',
        message: 'Invalid rerun request',
        issues: [{ path: 'leadIds', message: 'lead ids must be unique' }],
      },
    });
  });

  it('says a body that is not JSON is not JSON, with the parser’s reason', async () => {
    const r = await rescore(post('{"leadIds": [1,'), context());
    expect(r.status).toBe(400);
    expect(r.jsonBody).toMatchObject({ code: 'INPUT_INVALID', issues: [] });
    expect((r.jsonBody as { message: string }).message).toMatch(/^Request body is not valid JSON: \S/);
  });

  it('takes a blank body (spaces, a newline) as no body: a full run, not a JSON error', async () => {
    // the run starts, so it reaches the store: here one that is unreachable, which answers 503
    const down = createRescoreHttp(() => Promise.reject(new StoreError('STORE_UNAVAILABLE', 'down')), {
      telemetry: quietTelemetry,
    });
    const r = await down(post('  \n\t '), context());
    expect(r.status).toBe(503);
    expect(r.jsonBody).toStrictEqual({ code: 'STORE_UNAVAILABLE', message: 'down' });
  });
});

describe('runsHttp (GET /api/scoring/runs[/{id}])', () => {
  const listed: number[] = [];
  const log = {
    getRun: (id: number) => Promise.resolve(id === 7 ? { runId: 7 } : null),
    listRuns: (limit: number) => {
      listed.push(limit);
      return Promise.resolve([{ runId: 7 }]);
    },
  } as unknown as RunLog;
  const runs = createRunsHttp(() => ({ store: log }));

  it('answers 404 NOT_FOUND naming the run for an unknown id', async () => {
    expect(await runs(get('scoring/runs/999', { id: '999' }))).toStrictEqual({
      status: 404,
      jsonBody: { code: 'NOT_FOUND', message: 'No run 999' },
    });
    expect(await runs(get('scoring/runs/7', { id: '7' }))).toStrictEqual({
      status: 200,
      jsonBody: { runId: 7 },
    });
  });

  it('answers 400 "Invalid run id" for an id that is not a positive integer', async () => {
    const r = await runs(get('scoring/runs/abc', { id: 'abc' }));
    expect(r.status).toBe(400);
    expect(r.jsonBody).toMatchObject({ code: 'INPUT_INVALID', message: 'Invalid run id' });
    expect((r.jsonBody as { issues: { path: string }[] }).issues.map((i) => i.path)).toStrictEqual([
      '(root)',
    ]);
  });

  it('lists the runs when the optional {id?} segment comes empty', async () => {
    listed.length = 0;
    expect(await runs(get('scoring/runs', { id: '' }))).toStrictEqual({
      status: 200,
      jsonBody: { runs: [{ runId: 7 }] },
    });
    expect(listed).toStrictEqual([20]); // the default page of the list
  });

  it('answers 400 "Invalid query" for a limit past 100', async () => {
    const r = await runs(get('scoring/runs?limit=101'));
    expect(r.status).toBe(400);
    expect(r.jsonBody).toMatchObject({ code: 'INPUT_INVALID', message: 'Invalid query' });
    expect((r.jsonBody as { issues: { path: string }[] }).issues.map((i) => i.path)).toStrictEqual(['limit']);
  });
});

describe('leadsHttp and leadDetailHttp: a bad request', () => {
  it('answers 400 "Invalid query" naming the parameter', async () => {
    const leads = createLeadsHttp(noStore);
    const r = await leads(get('leads?maxHealth=101'), undefined);
    expect(r.status).toBe(400);
    expect(r.jsonBody).toMatchObject({ code: 'INPUT_INVALID', message: 'Invalid query' });
    expect((r.jsonBody as { issues: { path: string }[] }).issues.map((i) => i.path)).toStrictEqual([
      'maxHealth',
    ]);
  });

  it('answers 400 "Invalid lead id" for an id that is not a positive integer', async () => {
    const detail = createLeadDetailHttp(noStore);
    const r = await detail(get('leads/0', { id: '0' }));
    expect(r.status).toBe(400);
    expect(r.jsonBody).toMatchObject({ code: 'INPUT_INVALID', message: 'Invalid lead id' });
  });
});

describe('leadDetailHttp: reasons', () => {
  const lead = (recommendation: unknown) => ({
    leadId: 3,
    aiPriority: 60,
    healthScore: 70,
    band: 'B',
    recommendation,
  });
  const detailWith = (recommendation: unknown) => {
    const store = {
      getLead: () => Promise.resolve({ lead: lead(recommendation), snapshots: [] }),
    } as unknown as LeadQueries;
    return createLeadDetailHttp(
      () => ({ store }),
      () => Date.UTC(2026, 10, 26),
    )(get('leads/3', { id: '3' }));
  };
  const body = (r: HttpResponseInit) => r.jsonBody as { reasons: unknown; conversionReasons: unknown };

  it('passes both factor lists of the recommendation through', async () => {
    const factors = [{ factor: 'overdue', label: 'Overdue follow-up', points: 12 }];
    const conversionFactors = [{ factor: 'source', label: 'Referral', points: 4 }];
    const r = await detailWith({ factors, conversionFactors });
    expect(body(r).reasons).toStrictEqual(factors);
    expect(body(r).conversionReasons).toStrictEqual(conversionFactors);
  });

  it('answers empty lists, never missing ones, without a recommendation or without its model reasons', async () => {
    const none = await detailWith(null);
    expect(body(none).reasons).toStrictEqual([]);
    expect(body(none).conversionReasons).toStrictEqual([]);
    const heuristic = await detailWith({ factors: [] });
    expect(body(heuristic).conversionReasons).toStrictEqual([]);
  });
});
