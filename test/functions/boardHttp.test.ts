import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { BoardAsset } from '../../src/board/boardAssets';
import { BOARD_READER_ROLE, clientPrincipalOf, hasRole } from '../../src/board/clientPrincipal';
import { loadConfig } from '../../src/config/loadConfig';
import { BOARD_URL, createBoardHttp, SIGN_IN_URL, type BoardAccess } from '../../src/functions/boardHttp';

const context = () => new InvocationContext({ invocationId: 'test', functionName: 'boardHttp' });
const page: BoardAsset = {
  body: Buffer.from('<!doctype html><title>board</title>'),
  contentType: 'text/html; charset=utf-8',
};
const js: BoardAsset = { body: Buffer.from('void 0'), contentType: 'text/javascript; charset=utf-8' };
const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64');
// The shape of the decoded example of https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities,
// with the board's app role granted (Entra ID emits one `roles` claim per granted app role:
// https://learn.microsoft.com/entra/identity-platform/howto-add-app-roles-in-apps)
const PRINCIPAL = encode({
  auth_typ: 'aad',
  claims: [
    { typ: 'name', val: 'Ada Manager' },
    { typ: 'preferred_username', val: 'ada@contoso.example' },
    { typ: 'roles', val: 'LeadBoard.Read' },
  ],
  name_typ: 'name',
  role_typ: 'roles',
});
// A guest of the tenant, signed in, without any app role
const GUEST = encode({
  auth_typ: 'aad',
  claims: [
    { typ: 'name', val: 'Gus Guest' },
    { typ: 'roles', val: 'Other.Role' },
  ],
  name_typ: 'name',
  role_typ: 'roles',
});
// What docs/deploy.md's forged-header check sends: {"auth_typ":"aad","claims":[]}
const FORGED = encode({ auth_typ: 'aad', claims: [] });

/** `platformAuthEnabled: 'absent'`: the option is not passed at all (it must then count as not enabled). */
function board(access: BoardAccess, platformAuthEnabled: boolean | 'absent' = true) {
  const calls: string[] = [];
  const handler =
    (name: string) =>
    (r: HttpRequest): Promise<HttpResponseInit> => {
      calls.push(`${name} ${JSON.stringify(r.params)} ${r.query.toString()}`);
      return Promise.resolve({ status: 200, jsonBody: { name } });
    };
  const http = createBoardHttp({
    access: () => access,
    ...(platformAuthEnabled === 'absent' ? {} : { platformAuthEnabled: () => platformAuthEnabled }),
    api: { leads: handler('leads'), runs: handler('runs'), overview: handler('overview') },
    assets: () =>
      new Map([
        ['index.html', page],
        ['board.js', js],
      ]),
  });
  const get = (
    path: string,
    headers: Record<string, string> = {},
    url = `http://localhost/api/board/${path}`,
  ) => http(new HttpRequest({ method: 'GET', url, params: path === '' ? {} : { path }, headers }), context());
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
    // App Service Authentication's sign-in route for Entra ID (/.auth/login/aad), back to the board afterwards
    expect(SIGN_IN_URL).toBe('/.auth/login/aad?post_login_redirect_uri=/api/board/');
    expect(await b.get('')).toMatchObject({
      status: 302,
      headers: { Location: '/.auth/login/aad?post_login_redirect_uri=/api/board/' },
    });
    expect(await b.get('index.html', { 'x-ms-client-principal': 'not base64 json' })).toMatchObject({
      status: 302,
    });
    expect(await b.get('data/leads')).toMatchObject({ status: 401, jsonBody: { code: 'UNAUTHENTICATED' } });
    expect(await b.get('board.js')).toMatchObject({ status: 401 });
    expect(b.calls).toStrictEqual([]);
  });

  it('answers 503 on every route, and calls no API handler, while the platform does not report App Service Authentication enabled', async () => {
    for (const b of [board('app-service', false), board('app-service', 'absent')]) {
      for (const path of ['', 'board.js', 'data/leads', 'data/overview']) {
        for (const headers of [
          {} as Record<string, string>,
          { 'x-ms-client-principal': PRINCIPAL },
          { 'x-ms-client-principal': FORGED },
        ]) {
          expect(await b.get(path, headers)).toStrictEqual({
            status: 503,
            headers: { 'Cache-Control': 'no-store' },
            jsonBody: {
              code: 'BOARD_AUTH_UNAVAILABLE',
              message:
                'The lead board is configured for App Service Authentication (LEAD_INTEL_BOARD_AUTH=app-service), but the platform does not report it enabled (WEBSITE_AUTH_ENABLED is not True): turn on Authentication for the function app (docs/deploy.md, "The lead board")',
            },
          });
        }
      }
      expect(b.calls).toStrictEqual([]);
    }
  });

  it('answers 403 to a signed-in user without the LeadBoard.Read app role, on the page and on the data routes', async () => {
    const b = board('app-service');
    for (const path of ['', 'board.js', 'data/leads', 'data/runs/7', 'data/overview']) {
      expect(await b.get(path, { 'x-ms-client-principal': GUEST })).toStrictEqual({
        status: 403,
        headers: { 'Cache-Control': 'no-store' },
        jsonBody: {
          code: 'FORBIDDEN',
          message:
            "Gus Guest is signed in but does not hold the app role LeadBoard.Read; ask an administrator to assign it in the board's enterprise application (Users and groups)",
        },
      });
      expect((await b.get(path, { 'x-ms-client-principal': FORGED })).status).toBe(403);
    }
    expect(b.calls).toStrictEqual([]);
  });

  it('redirects /api/board to /api/board/, whose relative asset URLs then resolve under the board', async () => {
    for (const access of ['app-service', 'local'] as const) {
      expect(await board(access, false).get('', {}, 'https://leadintel.example/api/board')).toStrictEqual({
        status: 302,
        headers: { Location: '/api/board/' },
      });
    }
    expect(BOARD_URL).toBe('/api/board/');
    // a board that is off says nothing more than 404, with or without the slash
    expect((await board('off').get('', {}, 'https://leadintel.example/api/board')).status).toBe(404);
    // with the slash, the page itself (here: the sign-in redirect of a caller without a session)
    expect(await board('app-service').get('', {}, 'https://leadintel.example/api/board/')).toMatchObject({
      status: 302,
      headers: { Location: '/.auth/login/aad?post_login_redirect_uri=/api/board/' },
    });
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
  it("reads the user's name from the claim that name_typ names, and the role claims", () => {
    expect(clientPrincipalOf(PRINCIPAL)).toStrictEqual({
      name: 'Ada Manager',
      identityProvider: 'aad',
      roles: ['LeadBoard.Read'],
    });
    expect(clientPrincipalOf(FORGED)).toStrictEqual({
      name: '(signed in)',
      identityProvider: 'aad',
      roles: [],
    });
  });

  it('reads roles under the role_typ the principal names, the short `roles` and the long WS-Federation claim type', () => {
    const principal = encode({
      auth_typ: 'aad',
      role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
      claims: [
        { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'A' },
        { typ: 'roles', val: 'B' },
        { typ: 'groups', val: 'LeadBoard.Read' },
        { typ: 'roles', val: 7 },
      ],
    });
    expect(clientPrincipalOf(principal)?.roles).toStrictEqual(['A', 'B']);
    expect(
      clientPrincipalOf(
        encode({ auth_typ: 'aad', role_typ: 'appRole', claims: [{ typ: 'appRole', val: 'C' }] }),
      )?.roles,
    ).toStrictEqual(['C']);
  });

  it('is null without a header, or for one that is not Base64 JSON with an auth_typ', () => {
    expect(clientPrincipalOf(null)).toBeNull();
    expect(clientPrincipalOf('')).toBeNull();
    expect(clientPrincipalOf('%%%')).toBeNull();
    expect(clientPrincipalOf(Buffer.from('{"claims":[]}').toString('base64'))).toBeNull();
    expect(clientPrincipalOf(Buffer.from('null').toString('base64'))).toBeNull();
  });
});

describe('hasRole', () => {
  it('needs the app role LeadBoard.Read exactly, as Entra ID writes its value', () => {
    expect(BOARD_READER_ROLE).toBe('LeadBoard.Read');
    const p = (roles: string[]) => ({ name: 'x', identityProvider: 'aad', roles });
    expect(hasRole(p(['Other', 'LeadBoard.Read']))).toBe(true);
    expect(hasRole(p(['leadboard.read']))).toBe(false);
    expect(hasRole(p([]))).toBe(false);
  });
});

describe("loadConfig: WEBSITE_AUTH_ENABLED (the board's platform check)", () => {
  it('reads the platform-injected value as enabled only when it is true in any case, and never fails start-up over it', () => {
    const enabled = (v: string | undefined) =>
      loadConfig(v === undefined ? {} : { WEBSITE_AUTH_ENABLED: v }).platformAuthEnabled;
    expect(enabled('True')).toBe(true);
    expect(enabled(' true ')).toBe(true);
    expect(enabled(undefined)).toBe(false);
    expect(enabled('')).toBe(false);
    expect(enabled('False')).toBe(false);
    expect(enabled('1')).toBe(false);
    expect(enabled('yes please')).toBe(false);
  });
});
