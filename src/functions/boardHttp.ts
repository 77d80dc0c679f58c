import { app, HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { loadBoardAssets, type BoardAsset } from '../board/boardAssets';
import { clientPrincipalOf } from '../board/clientPrincipal';
import { leadDetailHttp } from './leadDetailHttp';
import { leadsHttp } from './leadsHttp';
import { runsHttp } from './runsHttp';
import { scoringOverviewHttp } from './scoringOverviewHttp';
import { appConfig } from './shared/appContext';

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/**
 * Who may open the board: nobody (`off`, the function app's default: every board route answers 404), the users App
 * Service Authentication signed in (`app-service`), or anyone who can reach the port (`local`: `lead-intel serve`,
 * bound to 127.0.0.1).
 */
export type BoardAccess = 'off' | 'app-service' | 'local';

/** The API handlers the board's page calls, through the board's own routes (so no function key is ever needed). */
export interface BoardApi {
  readonly leads: Handler;
  readonly runs: Handler;
  readonly overview: Handler;
  /** GET /api/leads/{id} (issue 12); without it the page builds its drawer from the list row. */
  readonly leadDetail?: Handler;
}

/**
 * Where App Service Authentication signs a user in (the Entra ID provider's `/.auth/login/aad`) and sends them back to
 * the board (`post_login_redirect_uri`): https://learn.microsoft.com/azure/app-service/configure-authentication-customize-sign-in-out.
 */
export const SIGN_IN_URL = '/.auth/login/aad?post_login_redirect_uri=/api/board/';

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

const notFound = (message: string): HttpResponseInit => ({
  status: 404,
  jsonBody: { code: 'NOT_FOUND', message },
});

function assetResponse(asset: BoardAsset): HttpResponseInit {
  return {
    status: 200,
    body: asset.body,
    headers: { ...SECURITY_HEADERS, 'Content-Type': asset.contentType },
  };
}

/** A copy of `request` with route parameters for the handler it is passed on to. */
function withParams(request: HttpRequest, params: Record<string, string>): HttpRequest {
  return new HttpRequest({
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers),
    params,
  });
}

/** The data routes of the board: `data/leads`, `data/leads/{id}`, `data/runs[/{id}]`, `data/overview`. */
function dataRoute(api: BoardApi, rest: string, request: HttpRequest, context: InvocationContext) {
  const [what, id, extra] = rest.split('/');
  if (extra !== undefined) return notFound(`No board route data/${rest}`);
  if (what === 'leads' && id === undefined) return api.leads(request, context);
  if (what === 'leads' && id !== undefined) {
    return api.leadDetail
      ? api.leadDetail(withParams(request, { id }), context)
      : notFound('Lead details are not served by this version of the API');
  }
  if (what === 'runs') return api.runs(withParams(request, id === undefined ? {} : { id }), context);
  if (what === 'overview' && id === undefined) return api.overview(request, context);
  return notFound(`No board route data/${rest}`);
}

/**
 * GET /api/board/{*path} — the lead board: its page and assets, and its data routes, which call the API's own
 * handlers. With `app-service` access every route needs App Service Authentication's signed-in user (the page
 * redirects to the sign-in, the rest answer 401); with `off` every route answers 404.
 */
export function createBoardHttp(options: {
  readonly access: () => BoardAccess;
  readonly api: BoardApi;
  readonly assets: () => ReadonlyMap<string, BoardAsset> | null;
}) {
  return async function boardHttp(
    request: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const access = options.access();
    if (access === 'off') return notFound('The lead board is off (LEAD_INTEL_BOARD_AUTH=off)');
    const path = (request.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const page = path === '' || path === 'index.html';
    if (access === 'app-service' && !clientPrincipalOf(request.headers.get('x-ms-client-principal'))) {
      return page
        ? { status: 302, headers: { Location: SIGN_IN_URL, 'Cache-Control': 'no-store' } }
        : { status: 401, jsonBody: { code: 'UNAUTHENTICATED', message: 'Sign in to open the lead board' } };
    }
    if (path.startsWith('data/')) {
      const response = await dataRoute(options.api, path.slice('data/'.length), request, context);
      return {
        ...response,
        headers: { ...SECURITY_HEADERS, ...(response.headers as Record<string, string>) },
      };
    }
    const assets = options.assets();
    if (assets === null) return notFound('The lead board was not built (npm run build)');
    const asset = assets.get(page ? 'index.html' : path);
    return asset ? assetResponse(asset) : notFound(`No board file ${path}`);
  };
}

let assets: ReadonlyMap<string, BoardAsset> | null | undefined;

export const boardHttp = createBoardHttp({
  access: () => appConfig().boardAuth,
  api: { leads: leadsHttp, runs: runsHttp, overview: scoringOverviewHttp, leadDetail: leadDetailHttp },
  assets: () => (assets ??= loadBoardAssets()),
});

app.http('boardHttp', {
  methods: ['GET'],
  route: 'board/{*path}',
  // Anonymous at the Functions host: App Service Authentication signs the user in and the handler checks the
  // principal it injects, so the page never carries a function key (docs/deploy.md, "The lead board").
  authLevel: 'anonymous',
  handler: boardHttp,
});
