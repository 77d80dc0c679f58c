import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { BoardAsset } from '../../src/board/boardAssets';
import { clientPrincipalOf } from '../../src/board/clientPrincipal';
import { createBoardHttp, SIGN_IN_URL, type BoardAccess } from '../../src/functions/boardHttp';

const context = () => new InvocationContext({ invocationId: 'test', functionName: 'boardHttp' });
const page: BoardAsset = {
  body: Buffer.from('<!doctype html><title>board</title>'),
  contentType: 'text/html; charset=utf-8',
};
const js: BoardAsset = { body: Buffer.from('void 0'), contentType: 'text/javascript; charset=utf-8' };
// The decoded example of https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities
const PRINCIPAL = Buffer.from(
  JSON.stringify({
    auth_typ: 'aad',
    claims: [
      { typ: 'name', val: 'Ada Manager' },
      { typ: 'preferred_username', val: 'ada@contoso.example' },
    ],
    name_typ: 'name',
    role_typ: 'roles',
  }),
).toString('base64');

function board(access: BoardAccess) {
  const calls: string[] = [];
  const handler =
    (name: string) =>
    (r: HttpRequest): Promise<HttpResponseInit> => {
      calls.push(`${name} ${JSON.stringify(r.params)} ${r.query.toString()}`);
      return Promise.resolve({ status: 200, jsonBody: { name } });
    };
  const http = createBoardHttp({
    access: () => access,
    api: { leads: handler('leads'), runs: handler('runs'), overview: handler('overview') },
    assets: () =>
      new Map([
        ['index.html', page],
        ['board.js', js],
      ]),
  });
  const get = (path: string, headers: Record<string, string> = {}) =>
    http(
      new HttpRequest({
        method: 'GET',
        url: `http://localhost/api/board/${path}`,
        params: { path },
        headers,
      }),
      context(),
    );
  return { get, calls };
}

describe('boardHttp', () => {
  it('answers 404 on every route while the board is off, and calls no API handler', async () => {
    const b = board('off');
    for (const path of ['', 'board.js', 'data/leads']) {
      expect(await b.get(path, { 'x-ms-client-principal': PRINCIPAL })).toMatchObject({
        status: 404,
        jsonBody: { code: 'NOT_FOUND' },
      });
    }
    expect(b.calls).toStrictEqual([]);
  });

  it('sends a caller without a principal to the sign-in from the page, and answers 401 on the rest', async () => {
    const b = board('app-service');
    expect(await b.get('')).toMatchObject({ status: 302, headers: { Location: SIGN_IN_URL } });
    expect(await b.get('index.html', { 'x-ms-client-principal': 'not base64 json' })).toMatchObject({
      status: 302,
    });
    expect(await b.get('data/leads')).toMatchObject({ status: 401, jsonBody: { code: 'UNAUTHENTICATED' } });
    expect(await b.get('board.js')).toMatchObject({ status: 401 });
    expect(b.calls).toStrictEqual([]);
  });

  it("serves the page, its assets and the API's handlers to a signed-in user", async () => {
    const b = board('app-service');
    const signedIn = { 'x-ms-client-principal': PRINCIPAL };
    const html = await b.get('', signedIn);
    expect(html.status).toBe(200);
    expect(html.body).toBe(page.body);
    expect(html.headers).toMatchObject({
      'Content-Type': 'text/html; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    });
    expect((await b.get('board.js', signedIn)).body).toBe(js.body);
    const leads = await b.get('data/leads', signedIn);
    expect(leads).toMatchObject({ status: 200, jsonBody: { name: 'leads' } });
    await b.get('data/runs/7', signedIn);
    await b.get('data/overview', signedIn);
    expect(b.calls).toStrictEqual([
      'leads {"path":"data/leads"} ',
      'runs {"id":"7"} ',
      'overview {"path":"data/overview"} ',
    ]);
  });

  it('answers 404 for files it does not serve and for lead details this API does not have yet', async () => {
    const b = board('local');
    expect((await b.get('../package.json')).status).toBe(404);
    expect((await b.get('main.js')).status).toBe(404);
    expect(await b.get('data/leads/12')).toMatchObject({ status: 404, jsonBody: { code: 'NOT_FOUND' } });
    expect((await b.get('data/nothing')).status).toBe(404);
  });
});

describe('clientPrincipalOf', () => {
  it("reads the user's name from the claim that name_typ names", () => {
    expect(clientPrincipalOf(PRINCIPAL)).toStrictEqual({ name: 'Ada Manager', identityProvider: 'aad' });
  });

  it('is null without a header, or for one that is not Base64 JSON with an auth_typ', () => {
    expect(clientPrincipalOf(null)).toBeNull();
    expect(clientPrincipalOf('')).toBeNull();
    expect(clientPrincipalOf('%%%')).toBeNull();
    expect(clientPrincipalOf(Buffer.from('{"claims":[]}').toString('base64'))).toBeNull();
    expect(clientPrincipalOf(Buffer.from('null').toString('base64'))).toBeNull();
  });
});
