import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { createLeadsHttp } from '../../src/functions/leadsHttp';
import type { LeadQueries, LeadQuery } from '../../src/store/leadStore';
import { recordingContext } from '../helpers/invocationContext';

/**
 * How GET /api/leads reads its query string (README.md, "The Functions app"): what reaches the store for a valid
 * query, and the 400 of an invalid one. The store is a double that records the query it is given.
 */
function leadsApi(leads: unknown[] = []) {
  const queries: LeadQuery[] = [];
  const store = {
    queryLeads: (q: LeadQuery) => {
      queries.push(q);
      return Promise.resolve({ leads, next: null, aggregates: {} });
    },
  } as unknown as LeadQueries;
  const http = createLeadsHttp(() => ({ store }));
  const ctx = recordingContext('leadsHttp');
  const lines = ctx.lines;
  const get = (query: string) =>
    http(new HttpRequest({ method: 'GET', url: `http://localhost/api/leads?${query}` }), ctx);
  /** The one query the store was given for `query` (the request must succeed). */
  const storeQuery = async (query: string): Promise<LeadQuery> => {
    queries.length = 0;
    const r = await get(query);
    expect(r.status).toBe(200);
    expect(queries).toHaveLength(1);
    return queries[0]!;
  };
  return { get, storeQuery, lines };
}

const issues = (r: HttpResponseInit) =>
  (r.jsonBody as { issues: { path: string; message: string }[] }).issues;
const cursor = (c: unknown) => Buffer.from(JSON.stringify(c)).toString('base64url');

describe('leadsHttp: multi-value filters', () => {
  it('merges repeated keys and comma lists, trims spaces and drops empty items', async () => {
    const api = leadsApi();
    // ?status=New, Contacted&status=&band=A, ,B&band=
    const q = await api.storeQuery('status=New,%20Contacted&status=&band=A,%20,B&band=');
    expect(q.status).toStrictEqual(['New', 'Contacted']);
    expect(q.band).toStrictEqual(['A', 'B']);
  });

  it('reads every multi key repeated: churnRisk, followUpStatus, status and band', async () => {
    const q = await leadsApi().storeQuery(
      'churnRisk=high&churnRisk=%20critical&followUpStatus=overdue&followUpStatus=today,&status=Won&status=Lost&band=C&band=D',
    );
    expect(q).toMatchObject({
      churnRisk: ['high', 'critical'],
      followUpStatus: ['overdue', 'today'],
      status: ['Won', 'Lost'],
      band: ['C', 'D'],
    });
  });

  it('answers 400 for a value outside the documented set, naming its position', async () => {
    const r = await leadsApi().get('band=A,E');
    expect(r.status).toBe(400);
    expect(issues(r).map((i) => i.path)).toStrictEqual(['band.1']);
  });

  it('passes no filter, the priority sort and a page of 50 for an empty query', async () => {
    const q = await leadsApi().storeQuery('');
    expect(q).toStrictEqual({
      churnRisk: undefined,
      followUpStatus: undefined,
      status: undefined,
      minPriority: undefined,
      band: undefined,
      maxHealth: undefined,
      updatedSince: undefined,
      owner: undefined,
      search: undefined,
      sort: 'priority',
      limit: 50,
      after: undefined,
    });
  });
});

describe('leadsHttp: single-value filters', () => {
  it('takes maxHealth from 0 to 100 and refuses anything outside', async () => {
    const api = leadsApi();
    expect((await api.storeQuery('maxHealth=50')).maxHealth).toBe(50);
    expect((await api.storeQuery('maxHealth=0')).maxHealth).toBe(0);
    expect((await api.storeQuery('maxHealth=100')).maxHealth).toBe(100);
    for (const bad of ['-1', '101', '12.5']) {
      const r = await api.get(`maxHealth=${bad}`);
      expect(r.status).toBe(400);
      expect(issues(r).map((i) => i.path)).toStrictEqual(['maxHealth']);
    }
  });

  it('reads updatedSince as an ISO 8601 instant, in UTC or with an offset, as epoch ms', async () => {
    const api = leadsApi();
    expect((await api.storeQuery('updatedSince=2026-11-01T10:00:00Z')).updatedSince).toBe(
      Date.UTC(2026, 10, 1, 10, 0, 0),
    );
    // 10:00 at +02:00 is 08:00 UTC
    expect((await api.storeQuery('updatedSince=2026-11-01T10:00:00%2B02:00')).updatedSince).toBe(
      Date.UTC(2026, 10, 1, 8, 0, 0),
    );
    // surrounding spaces are no part of the value
    expect((await api.storeQuery('updatedSince=%202026-11-01T10:00:00Z%20')).updatedSince).toBe(
      Date.UTC(2026, 10, 1, 10, 0, 0),
    );
    for (const bad of ['2026-11-01', 'yesterday', '']) {
      const r = await api.get(`updatedSince=${bad}`);
      expect(r.status).toBe(400);
      expect(issues(r).map((i) => i.path)).toStrictEqual(['updatedSince']);
    }
  });

  it('trims the search text before its 2–100 character check', async () => {
    const api = leadsApi();
    expect((await api.storeQuery('search=%20%20ab%20')).search).toBe('ab');
    expect((await api.get('search=%20a%20')).status).toBe(400);
  });

  it('takes the last of a repeated single key', async () => {
    expect((await leadsApi().storeQuery('minPriority=10&minPriority=60')).minPriority).toBe(60);
  });
});

describe('leadsHttp: the next cursor', () => {
  it('refuses a cursor made for another sort (400 on `next`, naming the sort it was made for)', async () => {
    const api = leadsApi();
    const r = await api.get(`sort=health&next=${cursor({ sort: 'priority', value: 80, leadId: 12 })}`);
    expect(r).toStrictEqual({
      status: 400,
      jsonBody: {
        code: 'INPUT_INVALID',
        message: 'Invalid query',
        issues: [{ path: 'next', message: 'cursor was made for sort "priority"' }],
      },
    });
  });

  it('continues a cursor in its own sort when no sort is given', async () => {
    const after = { sort: 'overdue', value: 3, leadId: 12 };
    const q = await leadsApi().storeQuery(`next=${cursor(after)}`);
    expect(q).toMatchObject({ sort: 'overdue', after });
  });

  it('says a `next` that is not one of its cursors is not', async () => {
    const r = await leadsApi().get('next=bm90LWEtY3Vyc29y'); // base64url of "not-a-cursor"
    expect(r.status).toBe(400);
    expect(issues(r)).toStrictEqual([{ path: 'next', message: 'not a cursor returned by this API' }]);
  });
});

describe('leadsHttp: rows whose recommendation is not JSON', () => {
  it('lists them, counts them and warns naming their lead ids', async () => {
    const row = (leadId: number, invalid: boolean) => ({
      leadId,
      recommendation: null,
      ...(invalid ? { recommendationInvalid: true } : {}),
    });
    const api = leadsApi([row(3, true), row(4, false), row(9, true)]);
    const r = await api.get('');
    expect(r.status).toBe(200);
    expect((r.jsonBody as { dataIssues: unknown }).dataIssues).toStrictEqual({ invalidRecommendations: 2 });
    expect(api.lines).toStrictEqual([
      'warning: Leads with a RecommendationJson that is not JSON, listed with recommendation null: 3, 9',
    ]);
  });
});
