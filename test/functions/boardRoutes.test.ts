import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { BoardAsset } from '../../src/board/boardAssets';
import { createBoardHttp, type BoardAccess, type BoardApi } from '../../src/functions/boardHttp';

/**
 * The board's routes and answers beyond who may open it (boardHttp.test.ts): its data routes, its 404 texts, and the
 * security headers of what it serves (docs/deploy.md, "The lead board").
 */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};
const page: BoardAsset = { body: Buffer.from('<!doctype html>'), contentType: 'text/html; charset=utf-8' };
const js: BoardAsset = { body: Buffer.from('void 0'), contentType: 'text/javascript; charset=utf-8' };

function board(
  access: BoardAccess,
  options: { detail?: boolean; built?: boolean } = {},
): {
  get: (path: string, headers?: Record<string, string>) => Promise<HttpResponseInit>;
  calls: string[];
} {
  const calls: string[] = [];
  const handler = (name: string) => (r: HttpRequest) => {
    calls.push(`${name} ${JSON.stringify(r.params)}`);
    return Promise.resolve<HttpResponseInit>({
      status: 200,
      headers: { 'X-Handler': name },
      jsonBody: { name },
    });
  };
  const api: BoardApi = {
    leads: handler('leads'),
    runs: handler('runs'),
    overview: handler('overview'),
    ...(options.detail === false ? {} : { leadDetail: handler('leadDetail') }),
  };
  const http = createBoardHttp({
    access: () => access,
    platformAuthEnabled: () => true,
    api,
    assets: () =>
      options.built === false
        ? null
        : new Map([
            ['index.html', page],
            ['board.js', js],
          ]),
  });
  const context = new InvocationContext({ invocationId: 'test', functionName: 'boardHttp' });
  const get = (path: string, headers: Record<string, string> = {}) =>
    http(
      new HttpRequest({
        method: 'GET',
        url: `http://localhost/api/board/${path}`,
        params: path === '' ? {} : { path },
        headers,
      }),
      context,
    );
  return { get, calls };
}

const notFound = (message: string) => ({ status: 404, jsonBody: { code: 'NOT_FOUND', message } });
/** A 404 of a data route: with the security headers every data route's answer carries. */
const dataNotFound = (message: string) => ({ ...notFound(message), headers: SECURITY_HEADERS });

describe('boardHttp: data routes', () => {
  it('passes a lead id on to the lead detail handler as its {id} route parameter', async () => {
    const b = board('local');
    expect(await b.get('data/leads/12')).toMatchObject({ status: 200, jsonBody: { name: 'leadDetail' } });
    expect(await b.get('data/leads')).toMatchObject({ status: 200, jsonBody: { name: 'leads' } });
    expect(b.calls).toStrictEqual(['leadDetail {"id":"12"}', 'leads {"path":"data/leads"}']);
  });

  it('says lead details are not served when the API has no lead detail handler', async () => {
    const b = board('local', { detail: false });
    expect(await b.get('data/leads/12')).toStrictEqual(
      dataNotFound('Lead details are not served by this version of the API'),
    );
    expect(b.calls).toStrictEqual([]);
  });

  it('answers 404 naming the route for one segment too many or an unknown route, and calls no handler', async () => {
    const b = board('local');
    expect(await b.get('data/leads/12/notes')).toStrictEqual(
      dataNotFound('No board route data/leads/12/notes'),
    );
    expect(await b.get('data/runs/7/x')).toStrictEqual(dataNotFound('No board route data/runs/7/x'));
    expect(await b.get('data/overview/5')).toStrictEqual(dataNotFound('No board route data/overview/5'));
    expect(await b.get('data/nothing')).toStrictEqual(dataNotFound('No board route data/nothing'));
    expect(b.calls).toStrictEqual([]);
  });

  it("adds the security headers to a handler's answer and keeps the handler's own headers", async () => {
    const r = await board('local').get('data/overview');
    expect(r).toStrictEqual({
      status: 200,
      headers: { ...SECURITY_HEADERS, 'X-Handler': 'overview' },
      jsonBody: { name: 'overview' },
    });
  });
});

describe('boardHttp: files', () => {
  it('serves the page and its assets with the content type and the security headers', async () => {
    const b = board('local');
    expect(await b.get('')).toStrictEqual({
      status: 200,
      body: page.body,
      headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' },
    });
    expect(await b.get('index.html')).toMatchObject({ status: 200, body: page.body });
    expect(await b.get('board.js')).toStrictEqual({
      status: 200,
      body: js.body,
      headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' },
    });
  });

  it('reads the path without its leading and trailing slashes, however many', async () => {
    const b = board('local');
    for (const path of ['//board.js', 'board.js//', '/board.js/']) {
      expect(await b.get(path)).toMatchObject({ status: 200, body: js.body });
    }
    expect(await b.get('/data/leads/')).toMatchObject({ status: 200, jsonBody: { name: 'leads' } });
  });

  it('answers 404 naming a file it does not serve', async () => {
    expect(await board('local').get('main.js')).toStrictEqual(notFound('No board file main.js'));
  });

  it('answers 404 saying the board was not built when it has no assets', async () => {
    expect(await board('local', { built: false }).get('')).toStrictEqual(
      notFound('The lead board was not built (npm run build)'),
    );
  });

  it('answers 404 saying the board is off, and how it is switched, while it is off', async () => {
    expect(await board('off').get('board.js')).toStrictEqual(
      notFound('The lead board is off (LEAD_INTEL_BOARD_AUTH=off)'),
    );
  });
});

describe('boardHttp: a caller without a principal under App Service Authentication', () => {
  it('sends the page to the sign-in with a redirect no cache keeps', async () => {
    expect(await board('app-service').get('')).toStrictEqual({
      status: 302,
      headers: {
        Location: '/.auth/login/aad?post_login_redirect_uri=/api/board/',
        'Cache-Control': 'no-store',
      },
    });
  });

  it('answers 401 on the data routes and assets, asking to sign in', async () => {
    const unauthenticated = {
      status: 401,
      jsonBody: { code: 'UNAUTHENTICATED', message: 'Sign in to open the lead board' },
    };
    const b = board('app-service');
    expect(await b.get('data/leads')).toStrictEqual(unauthenticated);
    expect(await b.get('board.js')).toStrictEqual(unauthenticated);
  });
});
