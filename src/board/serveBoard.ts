import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, HttpResponse, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { AppConfig } from '../config/loadConfig';
import { createBoardHttp, type BoardApi } from '../functions/boardHttp';
import { createLeadDetailHttp } from '../functions/leadDetailHttp';
import { createLeadsHttp } from '../functions/leadsHttp';
import { createRunsHttp } from '../functions/runsHttp';
import { createScoringOverviewHttp } from '../functions/scoringOverviewHttp';
import type { LeadStore } from '../store/leadStore';
import { loadBoardAssets, type BoardAsset } from './boardAssets';

export interface BoardServer {
  /** The board's address, e.g. `http://127.0.0.1:7480/api/board/`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface BoardServerOptions {
  readonly store: LeadStore;
  readonly config: Pick<AppConfig, 'schedule' | 'model'>;
  /** 0: any free port. */
  readonly port: number;
  /** The built board (default: dist/web). */
  readonly assets?: ReadonlyMap<string, BoardAsset> | null;
  /** Extra API handlers, e.g. the lead detail of issue 12. */
  readonly leadDetail?: BoardApi['leadDetail'];
  readonly log?: (line: string) => void;
}

/** The API handlers of the function app, over the given store and config. */
function apiOver(options: BoardServerOptions): BoardApi {
  const deps = () => ({ store: options.store, config: options.config });
  return {
    leads: createLeadsHttp(deps),
    runs: createRunsHttp(deps),
    overview: createScoringOverviewHttp(deps),
    leadDetail: options.leadDetail ?? createLeadDetailHttp(deps),
  };
}

/** Routes a path of the function app's URL space to its handler and route parameters (null: no such route). */
function route(
  api: BoardApi,
  board: BoardApi['leads'],
  path: string,
): { handler: BoardApi['leads']; params: Record<string, string> } | null {
  let m: RegExpExecArray | null;
  if ((m = /^\/api\/board\/(.*)$/.exec(path))) return { handler: board, params: { path: m[1]! } };
  if (path === '/api/leads') return { handler: api.leads, params: {} };
  if ((m = /^\/api\/leads\/([^/]+)$/.exec(path)) && api.leadDetail)
    return { handler: api.leadDetail, params: { id: m[1]! } };
  if ((m = /^\/api\/scoring\/runs(?:\/([^/]+))?$/.exec(path)))
    return { handler: api.runs, params: m[1] === undefined ? {} : { id: m[1] } };
  if (path === '/api/scoring/overview') return { handler: api.overview, params: {} };
  return null;
}

async function send(res: ServerResponse, init: HttpResponseInit): Promise<void> {
  const response = new HttpResponse(init);
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}

/**
 * `lead-intel serve`: the board and the same HTTP handlers as the function app (leads, runs, overview), over one
 * store, on 127.0.0.1 only — a loopback address is the access control, as nothing else can reach it.
 */
export async function startBoardServer(options: BoardServerOptions): Promise<BoardServer> {
  const api = apiOver(options);
  const assets = options.assets === undefined ? loadBoardAssets() : options.assets;
  const board = createBoardHttp({ access: () => 'local', api, assets: () => assets });
  const log = options.log ?? (() => undefined);
  let invocations = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const handle = async (): Promise<void> => {
      if (url.pathname === '/' || url.pathname === '/api/board')
        return send(res, { status: 302, headers: { Location: '/api/board/' } });
      if (req.method !== 'GET') return send(res, { status: 405, headers: { Allow: 'GET' } });
      const target = route(api, board, url.pathname);
      if (!target) return send(res, { status: 404, jsonBody: { code: 'NOT_FOUND', message: url.pathname } });
      const headers = Object.fromEntries(
        Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
      );
      const request = new HttpRequest({ method: 'GET', url: url.href, headers, params: target.params });
      const context = new InvocationContext({
        invocationId: String(++invocations),
        functionName: 'serve',
        logHandler: (level, ...args) => log(`${level}: ${args.map(String).join(' ')}`),
      });
      await send(res, await target.handler(request, context));
    };
    handle().catch((e: unknown) => {
      log(`error: ${req.method} ${url.pathname}: ${(e as Error)?.stack ?? String(e)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/board/`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
