import { app, HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { loadBoardAssets, type BoardAsset } from '../board/boardAssets';
import { BOARD_READER_ROLE, clientPrincipalOf, hasRole } from '../board/clientPrincipal';
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

/** The board's own address: its page loads `board.js` and `board.css` relative to it, so it must end with a slash. */
export const BOARD_URL = '/api/board/';

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

/** With `app-service` access, the platform does not report App Service Authentication as enabled. */
const AUTH_NOT_ENABLED: HttpResponseInit = {
  status: 503,
  headers: { 'Cache-Control': 'no-store' },
  jsonBody: {
    code: 'BOARD_AUTH_UNAVAILABLE',
    message:
      'The lead board is configured for App Service Authentication (LEAD_INTEL_BOARD_AUTH=app-service), but the platform does not report it enabled (WEBSITE_AUTH_ENABLED is not True): turn on Authentication for the function app (docs/deploy.md, "The lead board")',
  },
};

/**
 * Whom the board answers, before any route: a redirect to the sign-in (page) or 401 (the rest) without a principal,
 * 403 for a signed-in user without the board's app role, null for a user who may open it.
 */
function refusal(request: HttpRequest, page: boolean): HttpResponseInit | null {
  const principal = clientPrincipalOf(request.headers.get('x-ms-client-principal'));
  if (!principal) {
    return page
      ? { status: 302, headers: { Location: SIGN_IN_URL, 'Cache-Control': 'no-store' } }
      : { status: 401, jsonBody: { code: 'UNAUTHENTICATED', message: 'Sign in to open the lead board' } };
  }
  if (!hasRole(principal)) {
    return {
      status: 403,
      headers: { 'Cache-Control': 'no-store' },
      jsonBody: {
        code: 'FORBIDDEN',
        message: `${principal.name} is signed in but does not hold the app role ${BOARD_READER_ROLE}; ask an administrator to assign it in the board's enterprise application (Users and groups)`,
      },
    };
  }
  return null;
}

/** `/api/board` without its trailing slash (the catch-all route also matches it, with an empty path). */
function lacksTrailingSlash(request: HttpRequest): boolean {
  return /\/board$/.test(new URL(request.url).pathname);
}

/**
 * GET /api/board/{*path} — the lead board: its page and assets, and its data routes, which call the API's own
 * handlers. With `app-service` access every route needs the platform's App Service Authentication to be on (else
 * 503) and a signed-in user holding the app role `LeadBoard.Read` (without a user the page redirects to the sign-in
 * and the rest answer 401; without the role, 403); with `off` every route answers 404.
 */
export function createBoardHttp(options: {
  readonly access: () => BoardAccess;
  /**
   * Whether the platform reports App Service Authentication enabled (WEBSITE_AUTH_ENABLED). Only read with
   * `app-service` access; absent, it counts as not enabled, so the board fails closed.
   */
  readonly platformAuthEnabled?: () => boolean;
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
    if (path === '' && lacksTrailingSlash(request)) return { status: 302, headers: { Location: BOARD_URL } };
    if (access === 'app-service') {
      // X-MS-CLIENT-PRINCIPAL is trustworthy only while the platform's authentication module strips and sets it
      if (!(options.platformAuthEnabled?.() ?? false)) return AUTH_NOT_ENABLED;
      const refused = refusal(request, page);
      if (refused) return refused;
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
  platformAuthEnabled: () => appConfig().platformAuthEnabled,
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
